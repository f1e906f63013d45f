package dev.forge.activities.workspace;

import java.util.Arrays;
import java.util.List;

/** Questions about refs and history, answered with plumbing. */
final class Branches {

  private Branches() {}

  /** The commit a ref points at, or {@code null} when the ref does not exist. */
  static String tipOrNull(Git git, GitContext context, String ref) {
    GitResult result = git.probe(context, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
    if (result.exitCode() == 1) {
      return null;
    }
    if (!result.succeeded()) {
      throw GitException.failed(List.of("rev-parse", "--verify", "--quiet", ref), result);
    }
    return ObjectIds.fromGit(result.stdout(), "a commit id");
  }

  /** The loop branch's tip; the branch must exist. */
  static String tip(Git git, LoopWorktree loop) {
    String tip = tipOrNull(git, loop.git(), loop.ref());
    if (tip == null) {
      throw WorkspaceFailures.invalidWorkspace(
          "branch "
              + loop.branch()
              + " no longer exists in "
              + loop.repository()
              + ": remove the work tree"
              + " with 'git worktree remove --force "
              + loop.worktree()
              + "' and start a new loop");
    }
    return tip;
  }

  /** Whether {@code ancestor} is {@code descendant} or reachable from it. */
  static boolean isAncestor(Git git, GitContext context, String ancestor, String descendant) {
    GitResult result = git.probe(context, "merge-base", "--is-ancestor", ancestor, descendant);
    if (result.exitCode() == 0 || result.exitCode() == 1) {
      return result.exitCode() == 0;
    }
    throw GitException.failed(List.of("merge-base", "--is-ancestor", ancestor, descendant), result);
  }

  /** Paths that differ between a commit and its parent ({@code null} parent: a root commit). */
  static List<String> changedFiles(Git git, GitContext context, String parent, String commit) {
    GitResult result =
        parent == null
            ? git.run(
                context, "diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "-z", commit)
            : git.run(
                context, "diff-tree", "-r", "--no-renames", "--name-only", "-z", parent, commit);
    return Arrays.stream(result.stdout().split("\0")).filter(path -> !path.isEmpty()).toList();
  }

  /** Whether {@code commit} is reachable from one of the refs under {@code prefix}. */
  static boolean reachableFromRefs(Git git, GitContext context, String commit, String prefix) {
    GitResult result = git.run(context, "for-each-ref", "--count=1", "--contains", commit,
        "--format=%(refname)", prefix);
    return !result.stdout().isBlank();
  }
}
