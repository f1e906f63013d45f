package dev.forge.spec.sandbox;

import dev.forge.spec.RuleException;

/**
 * How a sandbox's network mode and its allowlist fit together: {@code none} gives the sandbox no
 * network at all, so it takes no allowlist; {@code restricted} reaches the outside only through the
 * egress proxy, so it needs one. Checked by the forge.yml parser and again by the sandbox activity.
 */
public final class NetworkRules {

  /** The most destinations one allowlist may hold. */
  public static final int MAX_ALLOWED_HOSTS = 100;

  private NetworkRules() {}

  /**
   * @throws RuleException {@code conflict} for entries under mode none, {@code required} for
   *     restricted without any
   */
  public static void checkAllowlistFits(NetworkMode mode, int entries) {
    if (mode == NetworkMode.NONE && entries > 0) {
      throw new RuleException("conflict", "must be empty with network mode none, which gives the"
          + " sandbox no network at all; set mode: restricted to reach these hosts through the"
          + " egress proxy");
    }
    if (mode == NetworkMode.RESTRICTED && entries == 0) {
      throw new RuleException("required", "is required with network mode restricted: list the"
          + " host:port destinations the sandbox may reach, e.g. [\"pkgs.example:443\"]");
    }
  }
}
