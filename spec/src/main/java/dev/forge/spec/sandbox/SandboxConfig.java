package dev.forge.spec.sandbox;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container every step of a loop runs in.
 *
 * @param image a pinned image reference (never {@code latest})
 * @param network the network mode
 * @param limits resource limits
 * @param env sandbox variable name to the <em>name</em> of the host variable that holds its value;
 *     values are read by the sandbox activity and never enter workflow history
 * @param allowedHosts in {@link NetworkMode#RESTRICTED} mode, the {@code host:port} destinations
 *     the egress proxy lets through ({@code *.example.org:443} matches every subdomain); empty
 *     otherwise
 * @param mounts extra mounts of parts of the work tree, in order
 * @param runtime the OCI runtime to run the container with (for example {@code runsc}), or {@code
 *     null} for the engine's default
 */
public record SandboxConfig(
    String image,
    NetworkMode network,
    SandboxLimits limits,
    Map<String, String> env,
    List<String> allowedHosts,
    List<SandboxMount> mounts,
    String runtime) {

  public SandboxConfig {
    // Sorted, so that the same config always serializes the same way. Histories recorded before
    // a field existed deserialize it as null.
    env = env == null ? Map.of() : new TreeMap<>(env);
    network = network == null ? NetworkMode.NONE : network;
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /** A config with no network, no extra mounts and the default runtime. */
  public SandboxConfig(String image, SandboxLimits limits, Map<String, String> env) {
    this(image, NetworkMode.NONE, limits, env, List.of(), List.of(), null);
  }
}
