package dev.forge.api.security;

import dev.forge.api.problems.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem bodies from the security filter chain, outside Spring MVC. */
final class ProblemResponses {

  private final JsonMapper json;

  ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer");
    write(response, Problem.of(401, "unauthorized", "Unauthorized", detail, request.getRequestURI()));
  }

  void forbidden(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    write(response, Problem.of(403, "forbidden", "Forbidden", detail, request.getRequestURI()));
  }

  /** 429 with {@code Retry-After} in whole seconds (at least 1). */
  void tooManyRequests(HttpServletRequest request, HttpServletResponse response, Duration wait,
      String detail) throws IOException {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    response.setHeader("Retry-After", Long.toString(seconds));
    write(response, Problem.of(429, "too-many-requests", "Too many requests",
        detail + "; retry after " + seconds + " s", request.getRequestURI()));
  }

  void payloadTooLarge(HttpServletRequest request, HttpServletResponse response, long limit)
      throws IOException {
    response.setHeader("Connection", "close");
    write(response, Problem.payloadTooLarge(limit, request.getRequestURI()));
    // Out now: the container may then wait for (and discard) the body the client is still sending.
    response.flushBuffer();
  }

  void unsupportedMediaType(HttpServletRequest request, HttpServletResponse response,
      String detail) throws IOException {
    write(response, Problem.of(415, "unsupported-media-type", "Unsupported media type", detail,
        request.getRequestURI()));
  }

  void unavailable(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    response.setHeader("Retry-After", "5");
    write(response, Problem.of(503, "unavailable", "Service unavailable", detail, request.getRequestURI()));
  }

  private void write(HttpServletResponse response, Problem problem) throws IOException {
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), problem);
  }
}
