package dev.forge.workflows.workspace;

/**
 * A checkpoint: the commit that holds the work tree as it was at that moment.
 *
 * @param iteration see {@link CheckpointRequest#iteration()}
 * @param kind why it was taken
 * @param sha the commit
 * @param created {@code false} when nothing had changed and the checkpoint is the previous commit
 *     (Forge never makes empty commits)
 * @param filesChanged files changed since the previous checkpoint
 */
public record Checkpoint(int iteration, CheckpointKind kind, String sha, boolean created, int filesChanged) {}
