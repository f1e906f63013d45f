package dev.forge.api.identity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API token may do. The roles are tiers of trust, each with its own endpoints: every
 * token can read (the {@link #VIEWER} tier); {@link #ENGINEER} and {@link #APPROVER} act on
 * loops; {@link #ADMIN} manages tokens, and each of its changes must be confirmed with a second
 * request. The roles above viewer do not include each other: an approver does not start loops and
 * an admin does not decide gates, so a token gets exactly the powers it lists.
 */
public enum Role {
  /** Reads loops, their histories, audit entries and events. Every token has it. */
  VIEWER,
  /** Starts loops; cancels, pauses, resumes and rolls back the loops they started. */
  ENGINEER,
  /** Decides gates of loops they did not start, raises cost caps; controls any loop. */
  APPROVER,
  /** Creates, lists and revokes tokens; each change confirmed by a second request. */
  ADMIN;

  /** The role a configured or requested name stands for, in any case. */
  public static Role parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + name + "'; roles are " + names(), e);
    }
  }

  /** {@code viewer, engineer, approver, admin}. */
  public static String names() {
    return Arrays.stream(values()).map(Role::externalName).collect(Collectors.joining(", "));
  }

  /** The name used in configuration, requests and answers: lower case. */
  @JsonValue
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String authority() {
    return "ROLE_" + name();
  }
}
