package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How much of the disk that holds the work trees the loops' quota images have promised: each is a
 * sparse file that may grow to its full size, so what it has not yet written is space already
 * spoken for. The API refuses a loop whose quota would not fit (see {@code LoopQuotas}).
 */
public final class QuotaReservations {

  private QuotaReservations() {}

  /**
   * @param usableBytes free space of the disk that holds the images
   * @param unwrittenBytes the images' sizes less what they already take on the disk
   */
  public record Disk(long usableBytes, long unwrittenBytes) {}

  /** Measures the disk of {@code worktreesRoot} (created if missing) and its quota images. */
  public static Disk measure(Path worktreesRoot) {
    try {
      Files.createDirectories(worktreesRoot);
      long usable = Files.getFileStore(worktreesRoot).getUsableSpace();
      Path images = worktreesRoot.resolve(QuotaFileSystems.DIRECTORY);
      if (!Files.isDirectory(images, LinkOption.NOFOLLOW_LINKS)) {
        return new Disk(usable, 0);
      }
      List<String> files;
      try (Stream<Path> list = Files.list(images)) {
        files = list.filter(p -> p.getFileName().toString().endsWith(".img"))
            .map(Path::toString).sorted().toList();
      }
      return new Disk(usable, files.isEmpty() ? 0 : unwritten(files));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the disk of " + worktreesRoot, e);
    }
  }

  /** Σ (size − allocated blocks × block size), from one {@code stat} of every image. */
  private static long unwritten(List<String> files) throws IOException {
    List<String> command = new ArrayList<>(List.of("stat", "--format=%s %b %B", "--"));
    command.addAll(files);
    HostCommand.Result result = HostCommand.run(command);
    long total = 0;
    for (String line : result.output().split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length == 3 && fields[0].chars().allMatch(Character::isDigit)) {
        long size = Long.parseLong(fields[0]);
        long allocated = Long.parseLong(fields[1]) * Long.parseLong(fields[2]);
        total += Math.max(0, size - allocated);
      }
    }
    return total;
  }
}
