package dev.forge.activities.workspace;

import java.nio.file.Path;

/**
 * Which repository a git invocation works on, always spelled out: git is never left to discover a
 * repository, so no {@code .git} file or directory inside a work tree is ever read.
 *
 * @param gitDir the git directory ({@code GIT_DIR})
 * @param commonDir the shared git directory of a linked worktree ({@code GIT_COMMON_DIR}), or
 *     {@code null} when {@code gitDir} is itself the common directory
 * @param workTree the work tree ({@code GIT_WORK_TREE}); also the working directory of the process
 */
record GitContext(Path gitDir, Path commonDir, Path workTree) {

  GitContext {
    requireAbsolute(gitDir, "gitDir");
    requireAbsolute(workTree, "workTree");
    if (commonDir != null) {
      requireAbsolute(commonDir, "commonDir");
    }
  }

  /** The main work tree of a repository whose git directory is {@code <repository>/.git}. */
  static GitContext repository(Path repository) {
    return new GitContext(repository.resolve(".git"), null, repository);
  }

  /** A linked worktree whose administrative directory lives in the repository's git directory. */
  static GitContext linkedWorktree(Path adminDir, Path commonDir, Path workTree) {
    return new GitContext(adminDir, commonDir, workTree);
  }

  private static void requireAbsolute(Path path, String name) {
    if (path == null || !path.isAbsolute()) {
      throw new IllegalArgumentException(name + " must be an absolute path, got " + path);
    }
  }
}
