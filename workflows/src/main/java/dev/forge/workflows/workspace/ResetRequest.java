package dev.forge.workflows.workspace;

/**
 * Reset the loop's work tree and branch to a checkpoint, removing untracked and ignored files.
 *
 * @param workspace the loop's work tree
 * @param sha a checkpoint of this loop
 * @param reason why, for the audit log
 */
public record ResetRequest(Workspace workspace, String sha, String reason) {}
