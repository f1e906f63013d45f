package dev.forge.api.security;

import java.util.Locale;

/** What an API user may do. */
public enum Role {
  /** Starts loops, inspects them, cancels their own. */
  ENGINEER,
  /** Decides gates of loops they did not start; may cancel any loop. */
  APPROVER;

  static Role parse(String configured) {
    try {
      return valueOf(configured.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + configured + "'; roles are engineer and approver", e);
    }
  }

  public String authority() {
    return "ROLE_" + name();
  }
}
