package dev.forge.activities.workspace;

import dev.forge.activities.SandboxUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Hands a work tree to the sandbox user when Forge runs as root, so the sandbox can write it. The
 * {@code .git} pointer file is left to root. Links are changed themselves, never followed, so the
 * walk never leaves the work tree. Runs only while no sandbox is running on the work tree.
 */
final class WorktreeOwnership {

  private final SandboxUser user;

  WorktreeOwnership(SandboxUser user) {
    this.user = user;
  }

  void handOver(Path worktree) {
    if (!user.forgeIsRoot()) {
      return;
    }
    Path pointer = worktree.resolve(".git");
    try {
      Files.walkFileTree(
          worktree,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (dir.equals(pointer)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              chown(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (!file.equals(pointer)) {
                chown(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot hand the work tree " + worktree + " to " + user.dockerUser(), e);
    }
  }

  private void chown(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
  }
}
