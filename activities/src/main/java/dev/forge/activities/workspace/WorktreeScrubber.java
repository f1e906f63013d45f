package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Removes what {@code git clean -ffdx} leaves behind. Git never lists an entry named {@code .git},
 * so a {@code .git} directory or file planted inside a tracked directory survives a clean; a person
 * running git in that directory later would run the planted repository's configuration. Git also
 * ignores FIFOs and sockets. Both go.
 */
final class WorktreeScrubber {

  private WorktreeScrubber() {}

  /** Returns the removed entries relative to the work tree, sorted. */
  static List<String> scrub(Path worktree) {
    Path pointer = worktree.resolve(".git");
    List<String> removed = new ArrayList<>();
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
              if (!dir.equals(worktree) && isGitEntry(dir)) {
                remove(dir);
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (!file.equals(pointer) && (isGitEntry(file) || attrs.isOther())) {
                remove(file);
              }
              return FileVisitResult.CONTINUE;
            }

            private void remove(Path path) throws IOException {
              FileTrees.deleteRecursively(path);
              removed.add(worktree.relativize(path).toString());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scrub the work tree " + worktree, e);
    }
    Collections.sort(removed);
    return removed;
  }

  private static boolean isGitEntry(Path path) {
    return ".git".equals(path.getFileName().toString());
  }
}
