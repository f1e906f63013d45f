package dev.forge.api.security;

import dev.forge.api.problems.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;

/** Writes 401 and 403 problem bodies from the security filter chain, outside Spring MVC. */
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

  private void write(HttpServletResponse response, Problem problem) throws IOException {
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), problem);
  }
}
