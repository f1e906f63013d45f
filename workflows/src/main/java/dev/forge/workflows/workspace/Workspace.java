package dev.forge.workflows.workspace;

/**
 * A loop's own work tree: a git worktree of the user's repository on branch {@code
 * forge/<loopId>}. The user's own checkout is never touched.
 *
 * @param loopId the loop
 * @param repository real path of the user's repository
 * @param path real path of the loop's work tree (mounted into the sandbox)
 * @param branch {@code forge/<loopId>}
 * @param baseSha the commit the loop started from
 */
public record Workspace(String loopId, String repository, String path, String branch, String baseSha) {}
