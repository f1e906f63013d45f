package dev.forge.workflows.loop;

import dev.forge.spec.sandbox.SandboxLimits;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retry policies of every activity the loop schedules. Activities mark permanent
 * failures (bad input, policy violations) themselves as non-retryable {@code ApplicationFailure}s,
 * so these policies only ever retry what may succeed on another attempt.
 */
final class LoopActivityOptions {

  /** Time for creating, inspecting and removing a container, on top of the step's own limit. */
  static final Duration SANDBOX_OVERHEAD = Duration.ofMinutes(2);

  private LoopActivityOptions() {}

  static ActivityOptions workspace() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(10)
                .build())
        .build();
  }

  static ActivityOptions audit() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofMinutes(1))
                .setMaximumAttempts(30)
                .build())
        .build();
  }

  /**
   * The step enforces its own wall-clock limit (and kills the container); start-to-close only
   * catches a worker that died. Heartbeats let a cancelled loop kill a running container within
   * seconds. A cancelled step waits until its container is gone before the loop moves on.
   */
  static ActivityOptions sandbox(SandboxLimits limits) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(limits.timeoutSeconds()).plus(SANDBOX_OVERHEAD))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(2))
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(3)
                .build())
        .build();
  }
}
