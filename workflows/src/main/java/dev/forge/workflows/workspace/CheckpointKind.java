package dev.forge.workflows.workspace;

/** Why a checkpoint was taken. */
public enum CheckpointKind {
  /** Before an iteration's agent runs: holds the work of the iteration before. */
  BEFORE_ITERATION,
  /** After the loop stopped: holds the work of the last iteration. */
  FINAL,
  /**
   * The loop's one summary commit on top of its base, made when the loop stopped iterating; the
   * per-iteration checkpoints stay reachable from their refs.
   */
  SQUASHED
}
