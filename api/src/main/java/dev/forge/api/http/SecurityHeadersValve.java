package dev.forge.api.http;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Sets {@link SecurityHeaders} on every request the host receives, before the error report valve,
 * the firewall, the security filter chain or a handler may answer it. A host valve, so that it
 * runs after the engine's RemoteIpValve has said whether the request came over TLS.
 */
final class SecurityHeadersValve extends ValveBase {

  SecurityHeadersValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    SecurityHeaders.write(request, response);
    getNext().invoke(request, response);
  }
}
