package dev.forge.spec.sandbox;

/** How a sandbox reaches the network. */
public enum NetworkMode {
  /** No network interface but loopback. */
  NONE,
  /**
   * An internal Docker network whose only way out is Forge's egress proxy, which lets through only
   * the config's allowlist of {@code host:port} and never private, loopback, link-local or metadata
   * addresses. The sandbox has no DNS of its own.
   */
  RESTRICTED
}
