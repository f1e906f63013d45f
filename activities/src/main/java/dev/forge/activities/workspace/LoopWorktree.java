package dev.forge.activities.workspace;

import java.nio.file.Path;

/**
 * Where a loop's work tree and git's bookkeeping for it live. All paths are real paths.
 *
 * @param loopId the loop
 * @param repository the user's repository (its main checkout)
 * @param worktree the loop's work tree, {@code <worktreesRoot>/<loopId>}
 */
record LoopWorktree(String loopId, Path repository, Path worktree) {

  /** The repository's git directory, shared by all of its worktrees. */
  Path gitDir() {
    return repository.resolve(".git");
  }

  /** Git's administrative directory for this work tree, out of the sandbox's reach. */
  Path adminDir() {
    return gitDir().resolve("worktrees").resolve(loopId);
  }

  String branch() {
    return "forge/" + loopId;
  }

  String ref() {
    return "refs/heads/" + branch();
  }

  /** Where every checkpoint of the loop stays reachable, whatever happens to the branch. */
  String checkpointRefs() {
    return "refs/forge/" + loopId + "/";
  }

  /** The ref that keeps checkpoint {@code key} reachable after a squash or a rollback. */
  String checkpointRef(String key) {
    return checkpointRefs() + key;
  }

  /** The work tree's {@code .git} pointer file, which git itself never reads on Forge's behalf. */
  Path pointerFile() {
    return worktree.resolve(".git");
  }

  /** What the pointer file holds when nobody has tampered with it. */
  String pointerContent() {
    return "gitdir: " + adminDir() + "\n";
  }

  /** Git on the loop's work tree, with the git directories named explicitly. */
  GitContext git() {
    return GitContext.linkedWorktree(adminDir(), gitDir(), worktree);
  }

  /** Git on the user's repository itself. */
  GitContext repositoryGit() {
    return GitContext.repository(repository);
  }
}
