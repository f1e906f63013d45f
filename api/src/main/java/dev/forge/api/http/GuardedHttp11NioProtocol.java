package dev.forge.api.http;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * HTTP/1.1 over {@link GuardedNioEndpoint}. Public with a no-argument constructor: Tomcat's
 * connector creates its protocol by class name; {@link HttpEdgeConfiguration} then sets the bounds.
 */
public final class GuardedHttp11NioProtocol extends Http11NioProtocol {

  private final GuardedNioEndpoint endpoint;

  public GuardedHttp11NioProtocol() {
    this(new GuardedNioEndpoint());
  }

  private GuardedHttp11NioProtocol(GuardedNioEndpoint endpoint) {
    super(endpoint);
    this.endpoint = endpoint;
  }

  void bound(HttpEdgeProperties properties) {
    endpoint.setMaxConnectionsPerAddress(properties.maxConnectionsPerAddress());
    endpoint.setRequestHeadTimeoutMillis(properties.requestHeadTimeout().toMillis());
  }
}
