package dev.forge.activities.sandbox.gateway;

import dev.forge.spec.loop.ModelProvider;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Operator configuration of the {@link ModelGateway}.
 *
 * @param bindAddress the address the gateway listens on; {@code null} for the worker's address on
 *     the egress network, where the steps' proxies reach it
 * @param port the port, 0 for any free one ({@link ModelGateway#port()} says which)
 * @param upstreams each provider's base URI: {@code https://host[:port]} normally; plain {@code
 *     http} is allowed only for an operator's upstream such as a scripted model
 * @param trustUpstreamAddresses whether an upstream may resolve to a loopback, private or worker
 *     address (only for an upstream the operator runs, e.g. the scripted model in tests)
 * @param maxRequestBytes the largest request body forwarded; a larger one is answered 413
 * @param maxResponseBytes the largest response body passed through; a larger one is cut
 * @param connectTimeout how long connecting to the upstream may take
 * @param responseTimeout the longest silence of the upstream while a response is awaited or
 *     streamed
 * @param defaultMaxOutputTokens the output limit set on a call that names none (then lowered to
 *     what the budget fits)
 */
public record GatewaySettings(
    String bindAddress,
    int port,
    Map<ModelProvider, URI> upstreams,
    boolean trustUpstreamAddresses,
    long maxRequestBytes,
    long maxResponseBytes,
    Duration connectTimeout,
    Duration responseTimeout,
    int defaultMaxOutputTokens) {

  /** Checks every field, naming the one that is wrong. */
  public GatewaySettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    upstreams = Map.copyOf(Objects.requireNonNull(upstreams, "upstreams is required"));
    for (Map.Entry<ModelProvider, URI> e : upstreams.entrySet()) {
      URI uri = e.getValue();
      String scheme = uri.getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "upstreams." + e.getKey().configName() + " must be an http(s) URI with a host, was "
                + uri);
      }
    }
    positive(maxRequestBytes, "maxRequestBytes");
    positive(maxResponseBytes, "maxResponseBytes");
    positive(defaultMaxOutputTokens, "defaultMaxOutputTokens");
    Objects.requireNonNull(connectTimeout, "connectTimeout is required");
    Objects.requireNonNull(responseTimeout, "responseTimeout is required");
  }

  /**
   * The defaults: the providers' public endpoints, 32 MiB requests, 64 MiB responses, 10 s to
   * connect, 10 min of upstream silence, 32000 output tokens when a call names no limit.
   */
  public static GatewaySettings defaults(String bindAddress) {
    Map<ModelProvider, URI> upstreams = new EnumMap<>(ModelProvider.class);
    for (ModelProvider provider : ModelProvider.values()) {
      upstreams.put(provider, URI.create("https://" + provider.apiHost()));
    }
    return new GatewaySettings(bindAddress, 0, upstreams, false, 32L << 20, 64L << 20,
        Duration.ofSeconds(10), Duration.ofMinutes(10), 32000);
  }

  /** {@link #defaults(String)} on loopback, for tests and a worker that runs on the host. */
  public static GatewaySettings defaults() {
    return defaults("127.0.0.1");
  }

  /** These settings with other upstreams, trusted or not. */
  public GatewaySettings withUpstreams(Map<ModelProvider, URI> others, boolean trusted) {
    return new GatewaySettings(bindAddress, port, others, trusted, maxRequestBytes,
        maxResponseBytes, connectTimeout, responseTimeout, defaultMaxOutputTokens);
  }

  /** These settings on another address (the worker's on the egress network). */
  public GatewaySettings withBindAddress(String address) {
    return new GatewaySettings(address, port, upstreams, trustUpstreamAddresses, maxRequestBytes,
        maxResponseBytes, connectTimeout, responseTimeout, defaultMaxOutputTokens);
  }

  private static void positive(long value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, was " + value);
    }
  }
}
