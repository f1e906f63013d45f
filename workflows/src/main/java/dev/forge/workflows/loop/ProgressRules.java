package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.workspace.Checkpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Notices a loop that stopped making progress: iterations in a row that left the work tree as it
 * was, or the same checks failing the same way time after time. Pure: no workflow calls, so the
 * workflow decides identically on replay.
 */
final class ProgressRules {

  private final int unchangedLimit;
  private final int failureLimit;
  private int unchangedStreak;
  private String lastFailure;
  private int failureStreak;

  ProgressRules(LoopConfig config) {
    this.unchangedLimit = config.noProgressIterations();
    this.failureLimit = config.repeatedFailureLimit();
  }

  /** Picks up where a previous run of the loop left off. */
  ProgressRules(LoopConfig config, LoopCarry.ProgressState state) {
    this(config);
    if (state != null) {
      unchangedStreak = state.unchangedStreak();
      lastFailure = state.lastFailure();
      failureStreak = state.failureStreak();
    }
  }

  LoopCarry.ProgressState state() {
    return new LoopCarry.ProgressState(unchangedStreak, lastFailure, failureStreak);
  }

  /**
   * Called with the checkpoint taken before iteration {@code next}, which holds what iteration
   * {@code next - 1} did.
   *
   * @return the stop, or {@code null} while the loop still moves
   */
  Stop afterCheckpoint(Checkpoint before, int next) {
    if (next < 2 || unchangedLimit <= 0) {
      return null;
    }
    unchangedStreak = before.created() ? 0 : unchangedStreak + 1;
    if (unchangedStreak >= unchangedLimit) {
      return new Stop(LoopState.NO_PROGRESS, "iterations " + (next - unchangedStreak) + " to "
          + (next - 1) + " left the work tree unchanged (limit " + unchangedLimit + ")");
    }
    return null;
  }

  /**
   * Called after the work tree was rolled back to a checkpoint: the counts start afresh. The next
   * checkpoint holds no new work by the engineer's choice, not the agent's, so it does not count
   * (the streak starts one below zero).
   */
  void afterRollback() {
    unchangedStreak = -1;
    lastFailure = null;
    failureStreak = 0;
  }

  /**
   * Called after the checks of a claimed completion ran.
   *
   * @return the stop, or {@code null} while the failures still change
   */
  Stop afterChecks(int iteration, List<List<String>> checks, List<SandboxResult> results) {
    if (failureLimit <= 0) {
      return null;
    }
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      SandboxResult result = results.get(i);
      if (!result.succeeded()) {
        failed.add(String.join(" ", checks.get(i)) + " (" + result.outcome() + ", exit "
            + result.exitCode() + ")");
      }
    }
    if (failed.isEmpty()) {
      lastFailure = null;
      failureStreak = 0;
      return null;
    }
    String failure = String.join("; ", failed);
    failureStreak = failure.equals(lastFailure) ? failureStreak + 1 : 1;
    lastFailure = failure;
    if (failureStreak >= failureLimit) {
      return new Stop(LoopState.NO_PROGRESS, "the same check(s) failed " + failureStreak
          + " times in a row, up to iteration " + iteration + ": " + failure);
    }
    return null;
  }
}
