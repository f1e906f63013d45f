package dev.forge.workflows.loop;

/** Where a loop is. The last seven are terminal. */
public enum LoopState {
  STARTING,
  RUNNING,
  AWAITING_APPROVAL,
  RUNNING_GATE,
  COMPLETED,
  REJECTED,
  MAX_ITERATIONS,
  MAX_RUNTIME,
  COST_CAP_REACHED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return ordinal() >= COMPLETED.ordinal();
  }
}
