package dev.forge.workflows.loop;

/** Where a loop is. {@link #COMPLETED} and everything after it are terminal. */
public enum LoopState {
  STARTING,
  RUNNING,
  /** Paused between iterations until resumed. */
  PAUSED,
  AWAITING_APPROVAL,
  RUNNING_GATE,
  COMPLETED,
  REJECTED,
  MAX_ITERATIONS,
  MAX_RUNTIME,
  COST_CAP_REACHED,
  /** The work tree stopped changing, or the same checks kept failing the same way. */
  NO_PROGRESS,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return ordinal() >= COMPLETED.ordinal();
  }
}
