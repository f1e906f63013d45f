package dev.forge.activities.sandbox;

import com.github.dockerjava.api.model.HostConfig;
import dev.forge.activities.sandbox.egress.EgressLease;
import dev.forge.spec.loop.ModelProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The network a step's container joins: none at all, or the step's internal network, whose only
 * other member is its egress proxy.
 *
 * @param egress the step's proxy, or {@code null} in network mode none
 */
record SandboxNetwork(EgressLease egress, ModelProvider model) {

  static final SandboxNetwork NONE = new SandboxNetwork(null, null);

  /** The step's internal network, without a model gateway. */
  SandboxNetwork(EgressLease egress) {
    this(egress, null);
  }

  /** The proxy's {@code ip:port}, or {@code null} without one. */
  String proxy() {
    return egress == null ? null : egress.proxyAddress();
  }

  /**
   * The variables that point HTTP clients in the sandbox at the proxy and, with a model provider,
   * the provider's SDKs and CLIs at the gateway behind the proxy's model port, with a placeholder
   * where a CLI insists on a key: never the key.
   */
  List<String> proxyEnv() {
    if (egress == null) {
      return List.of();
    }
    List<String> env = new ArrayList<>(egress.proxyEnvironment());
    if (model != null && egress.modelUrl() != null) {
      env.add(model.baseUrlVariable() + "=" + egress.modelUrl() + model.basePath());
      env.add(model.keyVariable() + "=" + ModelProvider.PLACEHOLDER_KEY);
    }
    return List.copyOf(env);
  }

  /** Network mode none, or the internal network with no resolver of the sandbox's own. */
  HostConfig apply(HostConfig host) {
    return egress == null ? host.withNetworkMode("none") : egress.isolate(host);
  }
}
