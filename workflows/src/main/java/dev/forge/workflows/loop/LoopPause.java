package dev.forge.workflows.loop;

import dev.forge.workflows.workspace.ResetRequest;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Pausing the loop between iterations, resuming it, and rolling a paused loop back to one of its
 * checkpoints (the {@code pause}/{@code resume} signals and the {@code rollback} update with its
 * validation); and the loop's clock, which does not run while it is paused.
 */
final class LoopPause {

  private final LoopContext loop;
  private long startedAt;
  private long pausedMillis;
  private boolean paused;
  private boolean rollingBack;
  private String pausedBy;
  private String resumedBy;

  LoopPause(LoopContext loop) {
    this.loop = loop;
  }

  /** Starts the loop's clock. */
  void start() {
    startedAt = Workflow.currentTimeMillis();
  }

  /** Picks up the clock and the pause of a run that continued as new. */
  void resume(LoopCarry carry) {
    startedAt = carry.startedAtMillis();
    pausedMillis = carry.pausedMillis();
    paused = carry.paused();
  }

  long startedAt() {
    return startedAt;
  }

  long pausedMillis() {
    return pausedMillis;
  }

  boolean paused() {
    return paused;
  }

  /** Time since the loop started, less the time it was paused: what {@code max_runtime} limits. */
  long runtimeMillis() {
    return Workflow.currentTimeMillis() - startedAt - pausedMillis;
  }

  /** Counts time the loop waited (at the cost cap) as paused. */
  void addPaused(long millis) {
    pausedMillis += millis;
  }

  /** Whether a rollback is resetting the work tree right now: the loop must not go on meanwhile. */
  boolean rollingBack() {
    return rollingBack;
  }

  /** The {@code pause} signal: takes effect before the next iteration. */
  void pause(String by) {
    if (!loop.state().isTerminal()) {
      paused = true;
      pausedBy = by;
    }
  }

  /** The {@code resume} signal. */
  void resume(String by) {
    if (paused) {
      paused = false;
      resumedBy = by;
    }
  }

  /** Between iterations: waits while the loop is paused (cancellation still ends it). */
  void awaitResume() {
    if (!paused) {
      return;
    }
    long since = Workflow.currentTimeMillis();
    loop.enter(LoopState.PAUSED, "paused by " + pausedBy + " after iteration " + loop.iteration());
    loop.record("loop.paused", pausedBy, loop.loopId(), Map.of());
    Workflow.await(() -> !paused && !rollingBack);
    pausedMillis += Workflow.currentTimeMillis() - since;
    loop.record("loop.resumed", resumedBy, loop.loopId(), Map.of());
    loop.enter(LoopState.RUNNING, "resumed after iteration " + loop.iteration());
  }

  /** Throws the {@link UpdateRefused} failure naming the rule the rollback breaks. */
  void validateRollback(Rollback rollback) {
    if (!loop.started() || loop.state() != LoopState.PAUSED || rollingBack) {
      throw UpdateRefused.conflict("a loop is rolled back while it is paused between"
          + " iterations; it is " + (!loop.started() ? "starting" : loop.state().name())
          + (rollingBack ? " and rolling back already" : "") + ": pause it first");
    }
    String sha = rollback.checkpointSha();
    String base = loop.workspace().baseSha();
    boolean known = sha != null && (sha.equals(base)
        || loop.checkpoints().stream().anyMatch(c -> c.sha().equals(sha)));
    if (!known) {
      throw UpdateRefused.conflict("'" + sha + "' is not one of this loop's last "
          + loop.checkpoints().size() + " checkpoints or its base " + base
          + "; GET the loop's status for their shas");
    }
  }

  /**
   * Resets the branch and work tree to a validated checkpoint and audits it; the loop stays
   * paused. {@code restart} then forgets what the next iteration would have built on.
   */
  void rollback(Rollback rollback, Runnable restart) {
    rollingBack = true;
    try {
      String from = loop.lastCheckpoint().sha();
      String why = "rolled back by " + rollback.by()
          + (rollback.reason() == null || rollback.reason().isBlank() ? "" : ": " + rollback.reason());
      loop.workspaces().reset(new ResetRequest(loop.workspace(), rollback.checkpointSha(), why));
      loop.record("loop.rolled_back", rollback.by(), rollback.checkpointSha(), Map.of("from", from,
          "reason", rollback.reason() == null ? "" : rollback.reason()));
      restart.run();
      loop.explain("paused by " + pausedBy + "; rolled back to " + rollback.checkpointSha() + " by "
          + rollback.by());
    } finally {
      rollingBack = false;
    }
  }
}
