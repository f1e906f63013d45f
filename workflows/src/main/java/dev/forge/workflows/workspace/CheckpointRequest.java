package dev.forge.workflows.workspace;

/**
 * Commit the work tree's current state to the loop's branch.
 *
 * @param workspace the loop's work tree
 * @param iteration the iteration about to start ({@link CheckpointKind#BEFORE_ITERATION}) or the
 *     last one run ({@link CheckpointKind#FINAL})
 * @param kind why
 */
public record CheckpointRequest(Workspace workspace, int iteration, CheckpointKind kind) {

  /** The idempotency key: a retried request with the same key commits nothing new. */
  public String key() {
    return switch (kind) {
      case FINAL -> "final";
      case SQUASHED -> "squash";
      case BEFORE_ITERATION -> "iteration-" + iteration;
    };
  }
}
