package dev.forge.workflows.loop;

/**
 * Rolling a paused loop's branch and work tree back to one of its checkpoints, sent as a workflow
 * update. The API lets the engineer who started the loop or an approver send it; the validator
 * refuses a loop that is not paused and a commit that is not one of its checkpoints.
 *
 * @param checkpointSha the checkpoint (or the loop's base) to go back to
 * @param by who asked
 * @param reason why, kept in the audit log
 */
public record Rollback(String checkpointSha, String by, String reason) {}
