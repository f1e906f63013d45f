package dev.forge.api.http;

import dev.forge.api.problems.Problem;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.ActionCode;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replaces Tomcat's HTML error page (which names the server and can carry an exception's message)
 * with Forge's problem body, for the errors Tomcat answers itself before or outside Spring: a URI
 * it cannot decode or normalise, CONNECT, TRACE, a header it refuses. The status and its reason
 * only; never a message, an exception or the request's URI. Public with a no-argument constructor:
 * the host creates it by class name, in place of its own.
 */
public final class ProblemReportValve extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    // The same conditions as Tomcat's own report: an error status, nothing written yet, not
    // reported already, and the connection still able to carry an answer.
    if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    try {
      response.resetBuffer();
      response.setContentType(Problem.MEDIA_TYPE);
      response.setCharacterEncoding("UTF-8");
      JSON.writeValue(response.getOutputStream(), Problem.forStatus(response.getStatus(), null));
      response.finishResponse();
    } catch (IOException | RuntimeException e) {
      log.debug("cannot write the problem for a refused request", e);
    }
  }
}
