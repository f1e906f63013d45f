package dev.forge.api.problems;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that happen outside Spring MVC (a request the security firewall rejects, a failure in a
 * filter) are forwarded by the container to {@code /error}: answered here as a problem with the
 * status and its reason only — never the exception, its message or a stack trace. A request for
 * {@code /error} itself (no error forwarded it) is answered as any unknown path is: 404.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping(path = "/error", produces = {Problem.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE, "*/*"})
  ResponseEntity<Problem> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    Problem problem = code instanceof Integer status
        ? Problem.forStatus(status, uri == null ? null : uri.toString())
        : Problem.of(404, "not-found", "Not found", "no such endpoint", request.getRequestURI());
    return ResponseEntity.status(problem.status())
        .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE)).body(problem);
  }
}
