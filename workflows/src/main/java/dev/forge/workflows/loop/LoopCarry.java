package dev.forge.workflows.loop;

import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.Workspace;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a loop hands to its next run when it continues as new (every {@link
 * LoopWorkflowImpl#ITERATIONS_PER_RUN} iterations, or earlier when Temporal suggests it), so that
 * no run's history grows without bound.
 *
 * @param workspace the prepared work tree
 * @param startedAtMillis when the loop's first run started (for {@code max_runtime})
 * @param pausedMillis time spent paused so far (not counted against {@code max_runtime})
 * @param iteration iterations run so far
 * @param costUsd spent so far
 * @param inputTokens tokens sent so far
 * @param outputTokens tokens received so far
 * @param feedback failing-check output for the next prompt, or {@code null}
 * @param progress the no-progress rules' streaks
 * @param paused whether the loop is paused
 * @param earlierCheckpoints checkpoints taken before those in {@code recentCheckpoints}
 * @param recentCheckpoints the latest checkpoints, oldest first
 * @param earlierIterations iterations finished before those in {@code recentIterations}
 * @param recentIterations the latest iteration summaries, oldest first
 * @param costCapUsd the cap in force (an approver may have raised it)
 */
public record LoopCarry(
    Workspace workspace,
    long startedAtMillis,
    long pausedMillis,
    int iteration,
    BigDecimal costUsd,
    long inputTokens,
    long outputTokens,
    String feedback,
    ProgressState progress,
    boolean paused,
    int earlierCheckpoints,
    List<Checkpoint> recentCheckpoints,
    int earlierIterations,
    List<IterationSummary> recentIterations,
    BigDecimal costCapUsd) {

  public LoopCarry {
    recentCheckpoints = List.copyOf(recentCheckpoints);
    recentIterations = List.copyOf(recentIterations);
  }

  /**
   * The no-progress rules' state.
   *
   * @param unchangedStreak iterations in a row that left the work tree unchanged
   * @param lastFailure the last failing checks, or {@code null}
   * @param failureStreak how often in a row they failed that way
   */
  public record ProgressState(int unchangedStreak, String lastFailure, int failureStreak) {}
}
