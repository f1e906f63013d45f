package dev.forge.api.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code forge.api.http.*}: how long and how often one client may hold Forge's HTTP connections.
 *
 * @param requestHeadTimeout the longest a client may take to send a whole request head (request
 *     line and headers), from its first byte; the connection is closed beyond it (default 10s).
 *     Tomcat's own connection timeout restarts with every byte, so a client trickling a byte at a
 *     time was never cut off. Bodies and answers (event streams) are not bounded by it.
 * @param maxConnectionsPerAddress the most connections one client address (an IPv6 /64) may hold
 *     open at once; a further one is closed as soon as it is accepted (default 64). The address
 *     is the TCP peer's: behind a proxy, the proxy's connections count.
 */
@ConfigurationProperties("forge.api.http")
public record HttpEdgeProperties(Duration requestHeadTimeout, Integer maxConnectionsPerAddress) {

  public HttpEdgeProperties {
    requestHeadTimeout = requestHeadTimeout == null ? Duration.ofSeconds(10) : requestHeadTimeout;
    if (requestHeadTimeout.toMillis() < 100) {
      throw new IllegalStateException(
          "forge.api.http.request-head-timeout must be at least 100ms, got " + requestHeadTimeout);
    }
    maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 64 : maxConnectionsPerAddress;
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalStateException(
          "forge.api.http.max-connections-per-address must be at least 1, got " + maxConnectionsPerAddress);
    }
  }
}
