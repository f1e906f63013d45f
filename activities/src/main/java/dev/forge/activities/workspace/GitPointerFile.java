package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts the work tree's {@code .git} pointer file back the way git wrote it, whatever a sandbox did
 * to it: Forge never relies on it, but a person running git in the work tree later would.
 */
final class GitPointerFile {

  private static final long MAX_SIZE = 4096;

  private GitPointerFile() {}

  /** Rewrites the pointer file unless it is intact; it ends up mode 0644, root's when Forge is. */
  static void restore(LoopWorktree loop, boolean forgeIsRoot) {
    Path file = loop.pointerFile();
    try {
      if (!isIntact(file, loop.pointerContent())) {
        FileTrees.deleteRecursively(file);
        Files.writeString(
            file, loop.pointerContent(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      }
      Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
      if (forgeIsRoot) {
        Files.setAttribute(file, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(file, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the work tree's git pointer file " + file, e);
    }
  }

  private static boolean isIntact(Path file, String expected) throws IOException {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
        && Files.size(file) <= MAX_SIZE
        && Files.readString(file, StandardCharsets.UTF_8).equals(expected);
  }
}
