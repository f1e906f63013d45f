package dev.forge.activities.sandbox.egress;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How Forge runs egress proxies; the same for every loop.
 *
 * @param proxyImage the egress proxy image (sandbox-images/egress-proxy)
 * @param egressNetwork the Docker network proxies reach the outside through. When it does not exist
 *     Forge creates it: a bridge network without inter-container traffic, labelled as Forge's
 * @param memoryBytes the proxy container's memory limit (swap included)
 * @param pids the proxy container's pids limit
 * @param startTimeout how long Squid may take to accept connections
 * @param deniedAddresses addresses (or {@code address/prefix} ranges) the proxy refuses besides the
 *     fixed private ranges and the worker's own addresses: for example the public address of a
 *     Forge API that runs on another machine
 */
public record EgressSettings(
    String proxyImage,
    String egressNetwork,
    long memoryBytes,
    long pids,
    Duration startTimeout,
    List<String> deniedAddresses) {

  public static final String DEFAULT_PROXY_IMAGE = "forge/egress-proxy:0.1.0-bookworm";
  public static final String DEFAULT_EGRESS_NETWORK = "forge-egress";
  public static final long DEFAULT_MEMORY_BYTES = 128L << 20;
  public static final long DEFAULT_PIDS = 64;
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  public EgressSettings {
    requireText(proxyImage, "proxyImage");
    requireText(egressNetwork, "egressNetwork");
    if (memoryBytes < (16L << 20)) {
      throw new IllegalArgumentException("memoryBytes must be at least 16 MiB, got " + memoryBytes);
    }
    if (pids < 8) {
      throw new IllegalArgumentException("pids must be at least 8, got " + pids);
    }
    if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be a positive duration");
    }
    deniedAddresses = List.copyOf(Objects.requireNonNullElse(deniedAddresses, List.of()));
    for (String address : deniedAddresses) {
      Cidr.parse(address);
    }
  }

  public static EgressSettings defaults() {
    return new EgressSettings(
        DEFAULT_PROXY_IMAGE,
        DEFAULT_EGRESS_NETWORK,
        DEFAULT_MEMORY_BYTES,
        DEFAULT_PIDS,
        DEFAULT_START_TIMEOUT,
        List.of());
  }

  public EgressSettings withEgressNetwork(String network) {
    return new EgressSettings(
        proxyImage, network, memoryBytes, pids, startTimeout, deniedAddresses);
  }

  public EgressSettings withProxyImage(String image) {
    return new EgressSettings(
        image, egressNetwork, memoryBytes, pids, startTimeout, deniedAddresses);
  }

  public EgressSettings withDeniedAddresses(List<String> addresses) {
    return new EgressSettings(
        proxyImage, egressNetwork, memoryBytes, pids, startTimeout, addresses);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
