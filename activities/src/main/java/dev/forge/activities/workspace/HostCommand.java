package dev.forge.activities.workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a host program other than git ({@code mkfs.ext4}, {@code mount}, {@code umount}):
 * from an argument list, with an environment of only {@link QuotaTools#PATH} and {@code LC_ALL=C},
 * its output (standard error included) kept up to a bound, and killed when it outlives the time
 * limit.
 */
final class HostCommand {

  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int OUTPUT_LIMIT = 16 * 1024;
  private static final Duration READER_GRACE = Duration.ofSeconds(5);

  record Result(int exitCode, String output) {

    boolean succeeded() {
      return exitCode == 0;
    }

    /** How a failed run is named in messages: the command, its exit code and what it printed. */
    String describeFailure(List<String> command) {
      String printed = output.strip();
      return "'"
          + String.join(" ", command)
          + "' failed with exit code "
          + exitCode
          + (printed.isEmpty() ? "" : ": " + printed);
    }
  }

  private HostCommand() {}

  /**
   * Runs the command to its end.
   *
   * @throws IOException when the program cannot be started or does not end within {@link #TIMEOUT}
   */
  static Result run(List<String> command) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", QuotaTools.PATH);
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    process.getOutputStream().close();
    BoundedCapture output = new BoundedCapture(process.getInputStream(), OUTPUT_LIMIT);
    Thread reader = output.start("host-command-output");
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IOException(
            "'" + String.join(" ", command) + "' ran longer than " + TIMEOUT + " and was killed");
      }
      reader.join(READER_GRACE.toMillis());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while '" + String.join(" ", command) + "' ran", e);
    }
    return new Result(process.exitValue(), output.text());
  }
}
