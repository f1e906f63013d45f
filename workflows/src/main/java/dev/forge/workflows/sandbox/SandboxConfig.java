package dev.forge.workflows.sandbox;

import java.util.Map;
import java.util.TreeMap;

/**
 * The container every step of a loop runs in.
 *
 * @param image a pinned image reference (never {@code latest})
 * @param network the network mode; only {@link NetworkMode#NONE} exists today
 * @param limits resource limits
 * @param env sandbox variable name to the <em>name</em> of the host variable that holds its value;
 *     values are read by the sandbox activity and never enter workflow history
 */
public record SandboxConfig(
    String image, NetworkMode network, SandboxLimits limits, Map<String, String> env) {

  public SandboxConfig {
    // Sorted, so that the same config always serializes the same way.
    env = env == null ? Map.of() : new TreeMap<>(env);
  }
}
