package dev.forge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a local program (an argument list, never a shell string) and collects its output. */
final class Processes {

  /** How a program ended; {@code exitCode} is -1 when it did not finish in time. */
  record Result(int exitCode, String output) {

    boolean ok() {
      return exitCode == 0;
    }
  }

  private Processes() {}

  /**
   * @param mergeErrors whether stderr is part of {@code output} (else it is discarded)
   * @throws IOException when the program cannot be started (e.g. it is not installed)
   */
  static Result run(List<String> command, boolean mergeErrors, long timeoutSeconds)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (mergeErrors) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new CliException("interrupted");
    }
    return new Result(process.exitValue(), output);
  }
}
