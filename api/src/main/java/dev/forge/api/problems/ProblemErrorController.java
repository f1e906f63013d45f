package dev.forge.api.problems;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that happen outside Spring MVC (a request the security firewall rejects, a failure in a
 * filter) are forwarded by the container to {@code /error}: answered here as a problem with the
 * status and its reason only — never the exception, its message or a stack trace.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping(path = "/error", produces = {Problem.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE, "*/*"})
  ResponseEntity<Problem> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null
        ? HttpStatus.resolve(c) : HttpStatus.INTERNAL_SERVER_ERROR;
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String detail = status.is5xxServerError()
        ? "Forge failed unexpectedly; the server log has the details"
        : "the request was refused: " + status.getReasonPhrase().toLowerCase();
    Problem problem = Problem.of(status.value(), status.name().toLowerCase().replace('_', '-'),
        status.getReasonPhrase(), detail, uri == null ? null : uri.toString());
    return ResponseEntity.status(status).contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
        .body(problem);
  }
}
