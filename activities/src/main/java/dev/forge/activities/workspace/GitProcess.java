package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One git process: started from an argument list with exactly the given environment, fed its input,
 * its output drained concurrently within bounds, and killed with its children when it outlives the
 * timeout. Messages name the git arguments only, never the environment.
 */
final class GitProcess {

  static final int STDOUT_LIMIT = 64 * 1024 * 1024;
  static final int STDERR_LIMIT = 64 * 1024;

  private static final Duration READER_GRACE = Duration.ofSeconds(10);
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  private final List<String> command;
  private final List<String> args;
  private final Map<String, String> environment;
  private final Path directory;

  /**
   * @param command the full command line
   * @param args the git arguments, to name in messages
   */
  GitProcess(
      List<String> command, List<String> args, Map<String, String> environment, Path directory) {
    this.command = command;
    this.args = args;
    this.environment = environment;
    this.directory = directory;
  }

  GitResult run(String input, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new GitException(
          args, "could not be started; is '" + command.get(0) + "' installed?", e);
    }
    BoundedCapture out = new BoundedCapture(process.getInputStream(), STDOUT_LIMIT);
    BoundedCapture err = new BoundedCapture(process.getErrorStream(), STDERR_LIMIT);
    Thread outReader = out.start("git-stdout");
    Thread errReader = err.start("git-stderr");
    IOException inputFailure = feed(process, input);
    awaitExit(process, timeout);
    awaitReader(outReader);
    awaitReader(errReader);
    if (out.truncated()) {
      throw new GitException(args, "wrote more than " + STDOUT_LIMIT + " bytes of output");
    }
    if (out.failure() != null) {
      throw new GitException(args, "output could not be read", out.failure());
    }
    String stderr = err.text() + (err.truncated() ? " [error output shortened]" : "");
    GitResult result = new GitResult(process.exitValue(), out.text(), stderr);
    if (inputFailure != null && result.succeeded()) {
      throw new GitException(args, "exited before reading all of its input", inputFailure);
    }
    return result;
  }

  private static IOException feed(Process process, String input) {
    try (OutputStream stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
      return null;
    } catch (IOException e) {
      // git exited early; its exit code and error output say why, so this only matters on success.
      return e;
    }
  }

  private void awaitExit(Process process, Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process);
        throw new GitException(args, "timed out after " + timeout + " and was killed");
      }
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new GitException(args, "was interrupted and killed", e);
    }
  }

  private void awaitReader(Thread reader) {
    try {
      reader.join(READER_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitException(args, "was interrupted while its output was read", e);
    }
    if (reader.isAlive()) {
      throw new GitException(args, "exited but a process it started still holds its output open");
    }
  }

  /**
   * Kills git and every process below it: first politely, so git can remove its lock files, then
   * for good. Children are listed before the parent goes, as orphans are no longer its descendants.
   */
  private static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    awaitExit(tree, KILL_GRACE);
    for (ProcessHandle handle : tree) {
      handle.descendants().forEach(ProcessHandle::destroyForcibly);
      handle.destroyForcibly();
    }
    awaitExit(tree, KILL_GRACE);
  }

  private static void awaitExit(List<ProcessHandle> handles, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : handles) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // Still running after the grace period: the forcible kill that follows deals with it.
      }
    }
  }
}
