package dev.forge.workflows.loop;

import dev.forge.workflows.workspace.Checkpoint;
import java.math.BigDecimal;
import java.util.List;

/**
 * A loop's state as returned by the {@code status} query.
 *
 * @param loopId the loop's id
 * @param state where the loop is
 * @param reason why it stopped, or what it waits for
 * @param startedBy the user who started it
 * @param repository the repository it works on
 * @param branch the checkpoint branch, {@code forge/<loopId>}
 * @param iteration the current (or last) iteration, 0 before the first
 * @param maxIterations the configured maximum
 * @param costUsd spent so far
 * @param costCapUsd the configured cap
 * @param inputTokens tokens sent to the model so far
 * @param outputTokens tokens received so far
 * @param pendingGate the gate waiting for a decision, if any
 * @param gates every gate opened so far, decided or not
 * @param checkpoints the checkpoints taken, oldest first (after the loop continued as new, the
 *     latest ones: see {@code earlierCheckpoints})
 * @param iterations the finished iterations, oldest first (likewise the latest ones)
 * @param earlierCheckpoints how many checkpoints were taken before the first in {@code checkpoints}
 * @param earlierIterations how many iterations finished before the first in {@code iterations}
 * @param baseSha the commit the loop started from; {@code null} before its work tree is prepared
 */
public record LoopStatus(
    String loopId,
    LoopState state,
    String reason,
    String startedBy,
    String repository,
    String branch,
    int iteration,
    int maxIterations,
    BigDecimal costUsd,
    BigDecimal costCapUsd,
    long inputTokens,
    long outputTokens,
    GateView pendingGate,
    List<GateView> gates,
    List<Checkpoint> checkpoints,
    List<IterationSummary> iterations,
    int earlierCheckpoints,
    int earlierIterations,
    String baseSha) {

  /** A status without the base commit. */
  public LoopStatus(String loopId, LoopState state, String reason, String startedBy,
      String repository, String branch, int iteration, int maxIterations, BigDecimal costUsd,
      BigDecimal costCapUsd, long inputTokens, long outputTokens, GateView pendingGate,
      List<GateView> gates, List<Checkpoint> checkpoints, List<IterationSummary> iterations,
      int earlierCheckpoints, int earlierIterations) {
    this(loopId, state, reason, startedBy, repository, branch, iteration, maxIterations, costUsd,
        costCapUsd, inputTokens, outputTokens, pendingGate, gates, checkpoints, iterations,
        earlierCheckpoints, earlierIterations, null);
  }

  /** A status whose lists are complete. */
  public LoopStatus(String loopId, LoopState state, String reason, String startedBy,
      String repository, String branch, int iteration, int maxIterations, BigDecimal costUsd,
      BigDecimal costCapUsd, long inputTokens, long outputTokens, GateView pendingGate,
      List<GateView> gates, List<Checkpoint> checkpoints, List<IterationSummary> iterations) {
    this(loopId, state, reason, startedBy, repository, branch, iteration, maxIterations, costUsd,
        costCapUsd, inputTokens, outputTokens, pendingGate, gates, checkpoints, iterations, 0, 0);
  }
}
