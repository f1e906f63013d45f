package dev.forge.activities.workspace;

import dev.forge.workflows.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Creates a loop's git worktree and branch from the repository's HEAD, or finds the ones an earlier
 * attempt created. The user's own checkout (its branch, index and files) is not touched.
 */
final class WorkspacePreparer {

  private static final int MAX_HISTORY = 100_000;

  private final Git git;
  private final WorktreeOwnership ownership;
  private final WorkspaceAudit audit;
  private final boolean forgeIsRoot;

  WorkspacePreparer(
      Git git, WorktreeOwnership ownership, WorkspaceAudit audit, boolean forgeIsRoot) {
    this.git = git;
    this.ownership = ownership;
    this.audit = audit;
    this.forgeIsRoot = forgeIsRoot;
  }

  /**
   * Creates or finds the loop's work tree, on its quota file system when it has one.
   *
   * @param diskQuotaBytes the quota the work tree's file system already has (0 for none), for the
   *     audit log
   */
  Workspace prepare(LoopWorktree loop, long diskQuotaBytes) {
    if (Files.exists(loop.adminDir(), LinkOption.NOFOLLOW_LINKS)) {
      requireOwnWorktree(loop);
      finishInterruptedAdd(loop);
    } else {
      addWorktree(loop);
      requireOwnWorktree(loop);
    }
    String base = findBase(loop, Branches.tip(git, loop));
    GitPointerFile.restore(loop, forgeIsRoot);
    ownership.handOver(loop.worktree());
    Workspace workspace =
        new Workspace(
            loop.loopId(),
            loop.repository().toString(),
            loop.worktree().toString(),
            loop.branch(),
            base);
    audit.prepared(workspace, diskQuotaBytes);
    return workspace;
  }

  private void addWorktree(LoopWorktree loop) {
    if (isNonEmptyDirectoryOrFile(loop.worktree())) {
      throw WorkspaceFailures.conflict(
          loop.worktree()
              + " already exists and git does not know it as loop "
              + loop.loopId()
              + "'s work tree: remove it, or use another loop id");
    }
    String head = headCommit(loop);
    GitContext repo = loop.repositoryGit();
    String path = loop.worktree().toString();
    if (Branches.tipOrNull(git, repo, loop.ref()) != null) {
      git.run(repo, "worktree", "add", "--quiet", path, loop.branch());
    } else {
      git.run(repo, "worktree", "add", "--quiet", "-b", loop.branch(), path, head);
    }
  }

  private String headCommit(LoopWorktree loop) {
    GitResult head =
        git.probe(loop.repositoryGit(), "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
    if (head.exitCode() == 1) {
      throw WorkspaceFailures.invalidRepository(
          "repository "
              + loop.repository()
              + " has no commit yet: commit your files, then start the loop");
    }
    if (!head.succeeded()) {
      throw WorkspaceFailures.invalidRepository(
          "repository "
              + loop.repository()
              + " is not a usable git repository ("
              + head.stderr().strip()
              + "): check it with 'git status' there");
    }
    return ObjectIds.fromGit(head.stdout(), "a commit id");
  }

  /** Git names a worktree after its directory unless that name is taken; it must be the loop id. */
  private void requireOwnWorktree(LoopWorktree loop) {
    String gitdir = read(loop.adminDir().resolve("gitdir"));
    String head = read(loop.adminDir().resolve("HEAD"));
    if (!loop.pointerFile().toString().equals(gitdir) || !("ref: " + loop.ref()).equals(head)) {
      throw WorkspaceFailures.conflict(
          "git already has a worktree named "
              + loop.loopId()
              + " in "
              + loop.repository()
              + " that is not this loop's (it points at "
              + gitdir
              + ", "
              + head
              + "): remove it with"
              + " 'git worktree remove' or 'git worktree prune', or use another loop id");
    }
    if (!Files.isDirectory(loop.worktree(), LinkOption.NOFOLLOW_LINKS)) {
      throw WorkspaceFailures.conflict(
          "loop "
              + loop.loopId()
              + "'s work tree "
              + loop.worktree()
              + " is gone but git still lists it:"
              + " run 'git worktree prune' in "
              + loop.repository()
              + ", then prepare again");
    }
  }

  /**
   * An attempt killed inside {@code git worktree add} leaves a lock and maybe a partial checkout.
   */
  private void finishInterruptedAdd(LoopWorktree loop) {
    Path lock = loop.adminDir().resolve("locked");
    if (Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS) && "initializing".equals(read(lock))) {
      git.run(loop.git(), "reset", "--hard", "--quiet", "--no-recurse-submodules");
      try {
        Files.delete(lock);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + lock, e);
      }
    }
  }

  /** The commit the loop started from: the first commit down the branch that is not the loop's. */
  private String findBase(LoopWorktree loop, String tip) {
    String sha = tip;
    for (int i = 0; i < MAX_HISTORY && sha != null; i++) {
      CommitObject commit = CommitObject.read(git, loop.git(), sha);
      if (!CheckpointMessage.belongsTo(commit.message(), loop.loopId())) {
        return sha;
      }
      sha = commit.firstParent();
    }
    throw WorkspaceFailures.invalidWorkspace(
        "branch "
            + loop.branch()
            + " holds no commit from before the loop: delete the branch and start again");
  }

  static boolean isNonEmptyDirectoryOrFile(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          ? Files.readString(file, StandardCharsets.UTF_8).strip()
          : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
