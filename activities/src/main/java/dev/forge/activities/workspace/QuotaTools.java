package dev.forge.activities.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The programs that make and mount the file systems of disk quotas: names looked up on {@link
 * #PATH}, or absolute paths. Tests name a missing program to see the worker refuse.
 *
 * @param mkfs makes the ext4 file system in an image file
 * @param mount loop-mounts an image
 * @param umount unmounts one
 */
record QuotaTools(String mkfs, String mount, String umount) {

  /** The only directories programs are looked up in; Forge's own PATH is not used. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  static final QuotaTools DEFAULT = new QuotaTools("mkfs.ext4", "mount", "umount");

  /** The program's executable file, if it is there. */
  static Optional<Path> locate(String program) {
    if (program.contains("/")) {
      Path path = Path.of(program);
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.of(path)
          : Optional.empty();
    }
    for (String dir : PATH.split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
