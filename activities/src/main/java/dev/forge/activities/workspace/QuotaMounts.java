package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What is mounted where, read from the file system itself: a directory is a mount point when its
 * device differs from its parent's, and a loop device names its image in {@code
 * /sys/dev/block/<major>:<minor>/loop/backing_file}. No {@code df} or {@code mount} output is
 * parsed.
 */
final class QuotaMounts {

  private QuotaMounts() {}

  /** Whether {@code dir} is a directory with another file system mounted on it. */
  static boolean isMountPoint(Path dir) {
    Path parent = dir.getParent();
    if (parent == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    return device(dir) != device(parent);
  }

  /** Whether {@code dir} is the mount point of a loop device whose image is {@code image}. */
  static boolean isMountedFrom(Path dir, Path image) {
    return isMountPoint(dir)
        && backingFile(device(dir)).filter(image.toString()::equals).isPresent();
  }

  /** The file behind a loop device, as the kernel names it; empty for any other device. */
  static Optional<String> backingFile(long device) {
    Path file =
        Path.of("/sys/dev/block", major(device) + ":" + minor(device), "loop", "backing_file");
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static long device(Path path) {
    try {
      return (Long) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the device of " + path, e);
    }
  }

  /** Linux's encoding of a device number (glibc's gnu_dev_major). */
  static long major(long device) {
    return ((device >>> 8) & 0xfffL) | ((device >>> 32) & ~0xfffL);
  }

  /** Linux's encoding of a device number (glibc's gnu_dev_minor). */
  static long minor(long device) {
    return (device & 0xffL) | ((device >>> 12) & ~0xffL);
  }
}
