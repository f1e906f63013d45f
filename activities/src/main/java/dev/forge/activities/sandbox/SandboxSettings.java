package dev.forge.activities.sandbox;

import dev.forge.activities.SandboxUser;
import java.time.Duration;
import java.util.Objects;

/**
 * How the sandbox activity runs containers; the same for every loop.
 *
 * @param user the uid:gid containers run as (never root)
 * @param heartbeatInterval how often a running step heartbeats; must be well below the heartbeat
 *     timeout the workflow sets on the activity stub
 * @param feedbackTailBytes how much of the end of the output goes back into {@code
 *     SandboxResult.outputTail} (and so into workflow history)
 * @param auditOutputBytes how much output (head and tail together) the audit entry keeps
 * @param drainTimeout how long to wait, after the container ended, for the rest of its output and
 *     for a killed container to stop
 */
public record SandboxSettings(
    SandboxUser user,
    Duration heartbeatInterval,
    int feedbackTailBytes,
    int auditOutputBytes,
    Duration drainTimeout) {

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_FEEDBACK_TAIL_BYTES = 4096;
  public static final int DEFAULT_AUDIT_OUTPUT_BYTES = 16384;
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

  public SandboxSettings {
    Objects.requireNonNull(user, "user");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(drainTimeout, "drainTimeout");
    if (feedbackTailBytes < 1 || auditOutputBytes < 2) {
      throw new IllegalArgumentException(
          "feedbackTailBytes must be at least 1 and auditOutputBytes at least 2");
    }
  }

  public static SandboxSettings defaults(SandboxUser user) {
    return new SandboxSettings(
        user,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_FEEDBACK_TAIL_BYTES,
        DEFAULT_AUDIT_OUTPUT_BYTES,
        DEFAULT_DRAIN_TIMEOUT);
  }

  public SandboxSettings withHeartbeatInterval(Duration interval) {
    return new SandboxSettings(user, interval, feedbackTailBytes, auditOutputBytes, drainTimeout);
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }
}
