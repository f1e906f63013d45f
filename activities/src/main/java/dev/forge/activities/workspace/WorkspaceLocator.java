package dev.forge.activities.workspace;

import dev.forge.workflows.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Turns activity inputs into a {@link LoopWorktree}, refusing anything that does not point where
 * Forge itself would put a loop's work tree: a workflow can never aim git at another directory.
 */
final class WorkspaceLocator {

  private final Path worktreesRoot;

  WorkspaceLocator(Path worktreesRoot) {
    this.worktreesRoot = worktreesRoot;
  }

  /** For {@code prepare}: the repository must be a main checkout with a {@code .git} directory. */
  LoopWorktree forNewLoop(String loopId, String repository) {
    LoopIds.requireValid(loopId);
    Path repo = realRepository(repository);
    requireApart(repo, resolveExistingPrefix(worktreesRoot));
    Path root = realWorktreesRoot();
    return new LoopWorktree(loopId, repo, root.resolve(loopId));
  }

  /** Checked before the root is created, so a misconfiguration never writes into a repository. */
  private static void requireApart(Path repo, Path root) {
    if (root.startsWith(repo) || repo.startsWith(root)) {
      throw WorkspaceFailures.invalidRepository(
          "repository "
              + repo
              + " and Forge's worktree directory "
              + root
              + " overlap: configure a worktree directory outside every repository");
    }
  }

  /** The real path of the longest existing prefix, with the missing rest appended. */
  private static Path resolveExistingPrefix(Path path) {
    Path existing = path.toAbsolutePath().normalize();
    Path rest = existing.getFileSystem().getPath("");
    while (existing.getParent() != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    return toRealPath(existing).resolve(rest);
  }

  /** For {@code checkpoint} and {@code reset}: the workspace must be one {@code prepare} made. */
  LoopWorktree forWorkspace(Workspace workspace) {
    if (workspace == null) {
      throw WorkspaceFailures.invalidWorkspace("no workspace given: call prepare first");
    }
    LoopWorktree loop = forNewLoop(workspace.loopId(), workspace.repository());
    require(
        loop.repository().toString().equals(workspace.repository()),
        "repository "
            + workspace.repository()
            + " is not a real path (expected "
            + loop.repository()
            + ")");
    require(
        loop.worktree().toString().equals(workspace.path()),
        "work tree "
            + workspace.path()
            + " is not where Forge keeps loop "
            + loop.loopId()
            + " ("
            + loop.worktree()
            + ")");
    require(
        loop.branch().equals(workspace.branch()),
        "branch " + workspace.branch() + " is not the loop's branch " + loop.branch());
    require(
        Files.isDirectory(loop.worktree(), LinkOption.NOFOLLOW_LINKS),
        "work tree " + loop.worktree() + " is missing: prepare the workspace again");
    require(
        ("ref: " + loop.ref()).equals(readHead(loop)),
        "git has no worktree "
            + loop.adminDir()
            + " on branch "
            + loop.branch()
            + ": prepare the workspace again");
    return loop;
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw WorkspaceFailures.invalidWorkspace(problem);
    }
  }

  private static String readHead(LoopWorktree loop) {
    Path head = loop.adminDir().resolve("HEAD");
    try {
      return Files.isRegularFile(head, LinkOption.NOFOLLOW_LINKS)
          ? Files.readString(head, StandardCharsets.UTF_8).strip()
          : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + head, e);
    }
  }

  static Path realRepository(String repository) {
    if (repository == null || repository.isBlank()) {
      throw WorkspaceFailures.invalidRepository(
          "no repository given: pass the path of a git checkout");
    }
    Path path = Path.of(repository);
    if (!path.isAbsolute()) {
      throw WorkspaceFailures.invalidRepository(
          "repository '" + repository + "' is a relative path: pass an absolute path");
    }
    if (!Files.exists(path)) {
      throw WorkspaceFailures.invalidRepository(
          "repository " + path + " does not exist: pass the path of an existing git checkout");
    }
    if (!Files.isDirectory(path)) {
      throw WorkspaceFailures.invalidRepository(
          "repository " + path + " is not a directory: pass the top directory of a git checkout");
    }
    Path real = toRealPath(path);
    Path dotGit = real.resolve(".git");
    if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
      throw WorkspaceFailures.invalidRepository(
          "repository "
              + real
              + " is a linked worktree or submodule (its .git is a file):"
              + " pass the main checkout of the repository");
    }
    if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
      throw WorkspaceFailures.invalidRepository(
          "repository "
              + real
              + " has no .git directory: pass the top directory of a git"
              + " checkout, or run 'git init' there and commit your files");
    }
    return real;
  }

  private Path realWorktreesRoot() {
    try {
      Files.createDirectories(worktreesRoot);
      return worktreesRoot.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create Forge's worktree directory " + worktreesRoot, e);
    }
  }

  private static Path toRealPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }
}
