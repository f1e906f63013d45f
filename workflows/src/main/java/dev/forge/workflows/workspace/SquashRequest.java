package dev.forge.workflows.workspace;

/**
 * Squash the loop's branch into one commit on top of its base, summarising the loop. The
 * per-iteration checkpoints stay reachable from {@code refs/forge/<loopId>/<key>} for audit and
 * rollback.
 *
 * @param workspace the loop's work tree
 * @param iteration the last iteration run
 * @param subject the summary commit's subject line
 * @param body its body (what the loop did), before the trailers Forge adds
 */
public record SquashRequest(Workspace workspace, int iteration, String subject, String body) {}
