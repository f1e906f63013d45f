package dev.forge.api.problems;

import dev.forge.spec.InvalidSpecException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into a problem+json body. Nothing internal leaks: no stack traces, no class
 * names; an unexpected error gets an id that is also in the server log.
 */
@RestControllerAdvice
class ProblemHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
  private static final MediaType PROBLEM = MediaType.parseMediaType(Problem.MEDIA_TYPE);

  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<Problem> invalid(InvalidInputException e, HttpServletRequest request) {
    return respond(Problem.invalid(e.errors(), request.getRequestURI()));
  }

  @ExceptionHandler(InvalidSpecException.class)
  ResponseEntity<Problem> invalid(InvalidSpecException e, HttpServletRequest request) {
    return respond(Problem.invalid(e.refusals().stream().map(FieldError::of).toList(),
        request.getRequestURI()));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Problem> refused(ApiException e, HttpServletRequest request) {
    Problem problem = e.toProblem(request.getRequestURI());
    if (e.retryAfterSeconds() > 0) {
      return ResponseEntity.status(problem.status()).contentType(PROBLEM)
          .header("Retry-After", Long.toString(e.retryAfterSeconds())).body(problem);
    }
    return respond(problem);
  }

  @ExceptionHandler(ConfirmationRequiredException.class)
  ResponseEntity<Problem> confirm(ConfirmationRequiredException e, HttpServletRequest request) {
    return respond(e.toProblem(request.getRequestURI()));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
    PayloadTooLargeException tooLarge = causeOf(e, PayloadTooLargeException.class);
    if (tooLarge != null) {
      return respond(Problem.payloadTooLarge(tooLarge.limit(), request.getRequestURI()));
    }
    Optional<FieldError> duplicate = DuplicateKeys.in(e);
    if (duplicate.isPresent()) {
      return respond(Problem.invalid(List.of(duplicate.get()), request.getRequestURI()));
    }
    return respond(Problem.invalid(List.of(new FieldError("body", "syntax",
        "the request body must be a JSON object; it is missing or not valid JSON")),
        request.getRequestURI()));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Problem> missingParameter(MissingServletRequestParameterException e,
      HttpServletRequest request) {
    return respond(Problem.invalid(List.of(new FieldError(e.getParameterName(), "required",
        "query parameter is required")), request.getRequestURI()));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Problem> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return respond(Problem.invalid(List.of(new FieldError(e.getName(), "type",
        "has the wrong type or format")), request.getRequestURI()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Problem> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    return respond(Problem.of(415, "unsupported-media-type", "Unsupported media type",
        "send the body as application/json", request.getRequestURI()));
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<Problem> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
    return respond(Problem.of(406, "not-acceptable", "Not acceptable",
        "this endpoint answers application/json", request.getRequestURI()));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Problem> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return respond(Problem.of(405, "method-not-allowed", "Method not allowed",
        e.getMethod() + " is not allowed here; allowed: " + e.getSupportedHttpMethods(),
        request.getRequestURI()));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Problem> noSuchPath(NoResourceFoundException e, HttpServletRequest request) {
    return respond(Problem.of(404, "not-found", "Not found", "no such endpoint",
        request.getRequestURI()));
  }

  /** An event stream's client went away: there is nobody left to answer. */
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  void clientGone(AsyncRequestNotUsableException e) {
    log.debug("client went away: {}", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) {
    PayloadTooLargeException tooLarge = causeOf(e, PayloadTooLargeException.class);
    if (tooLarge != null) {
      return respond(Problem.payloadTooLarge(tooLarge.limit(), request.getRequestURI()));
    }
    String id = UUID.randomUUID().toString();
    log.error("unexpected error {} on {} {}", id, request.getMethod(), request.getRequestURI(), e);
    return respond(Problem.of(500, "internal-error", "Internal error",
        "Forge failed unexpectedly; the server log has the details under error id " + id,
        request.getRequestURI()));
  }

  private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static ResponseEntity<Problem> respond(Problem problem) {
    return ResponseEntity.status(problem.status()).contentType(PROBLEM).body(problem);
  }
}
