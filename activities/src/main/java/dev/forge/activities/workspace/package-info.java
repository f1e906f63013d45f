/**
 * Git on the host for Forge's loops: each loop works in its own git worktree on branch {@code
 * forge/<loopId>}, with a checkpoint commit before every iteration and resets to any checkpoint.
 *
 * <p>The security model: the sandbox may have changed anything in the work tree, including the
 * {@code .git} pointer file, nested {@code .git} directories and attribute files. Host-side git
 * therefore never discovers a repository; {@link dev.forge.activities.workspace.Git} passes the
 * repository's own git directories explicitly, with an empty environment, no system or global
 * configuration, hooks and fsmonitor disabled and every transport refused. Configuration comes only
 * from the user's repository (which the sandbox never sees) and from Forge's command line. Files
 * git does not clean up (nested {@code .git} entries, FIFOs) are removed by Forge itself, and the
 * pointer file is rewritten. None of this is safe against a sandbox process that keeps running
 * while Forge works on the tree: the sandbox must be gone before a checkpoint or reset.
 */
package dev.forge.activities.workspace;
