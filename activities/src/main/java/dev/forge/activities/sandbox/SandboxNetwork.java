package dev.forge.activities.sandbox;

import com.github.dockerjava.api.model.HostConfig;
import dev.forge.activities.sandbox.egress.EgressLease;
import java.util.List;

/**
 * The network a step's container joins: none at all, or the step's internal network, whose only
 * other member is its egress proxy.
 *
 * @param egress the step's proxy, or {@code null} in network mode none
 */
record SandboxNetwork(EgressLease egress) {

  static final SandboxNetwork NONE = new SandboxNetwork(null);

  /** The proxy's {@code ip:port}, or {@code null} without one. */
  String proxy() {
    return egress == null ? null : egress.proxyAddress();
  }

  /** The variables that point HTTP clients in the sandbox at the proxy. */
  List<String> proxyEnv() {
    return egress == null ? List.of() : egress.proxyEnvironment();
  }

  /** Network mode none, or the internal network with no resolver of the sandbox's own. */
  HostConfig apply(HostConfig host) {
    return egress == null ? host.withNetworkMode("none") : egress.isolate(host);
  }
}
