package dev.forge.app.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Handles a {@code postmaster.pid} left in a data directory by a Forge that died (issue 20): a
 * live process that really is that directory's postmaster ({@code /proc/<pid>/cmdline} runs
 * {@code postgres} with {@code -D <that directory>}) is stopped — fast shutdown (SIGINT), then
 * SIGKILL as a last resort; a pid that is dead or now belongs to another process only leaves a
 * stale file, which is removed. Another process is never signalled.
 *
 * <p>Stopping rather than adopting: the dead Forge's postmaster has its port, configuration and
 * {@code pg_hba.conf} of the earlier start and nothing watches it; a fast shutdown checkpoints, so
 * nothing committed is lost, and the start that follows is the ordinary one.
 */
final class LeftoverPostmaster {

  /** What the pid file names. */
  enum Verdict { NONE, DEAD, NOT_OURS, OURS }

  /** The operating system's view of a process; the real one reads {@code /proc}. */
  interface Processes {
    boolean alive(long pid);

    /** The arguments of the process, empty when it is gone or unreadable. */
    List<String> commandLine(long pid);

    /** Sends the signal ({@code INT}, {@code KILL}); false when it could not. */
    boolean signal(long pid, String signal);
  }

  private final Log log;
  private final Processes processes;
  private final Duration shutdownWait;

  LeftoverPostmaster(Log log, Processes processes, Duration shutdownWait) {
    this.log = log;
    this.processes = processes;
    this.shutdownWait = shutdownWait;
  }

  /** @param log where it says what it found and did (the embedded platform's deferred log) */
  static LeftoverPostmaster onLinux(Log log) {
    return new LeftoverPostmaster(log, new ProcProcesses(), Duration.ofSeconds(30));
  }

  /** The pid on the first line of {@code postmaster.pid}, if the file is there and readable. */
  static Optional<Long> pidIn(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      LogFactory.getLog(LeftoverPostmaster.class)
          .warn(pidFile + " is unreadable (" + e + "); treating it as stale");
      return Optional.of(-1L);
    }
  }

  /** Classifies the pid named by the data directory's {@code postmaster.pid}. */
  Verdict inspect(Path dataDirectory) {
    Optional<Long> pid = pidIn(dataDirectory);
    if (pid.isEmpty()) {
      return Verdict.NONE;
    }
    if (pid.get() <= 0 || !processes.alive(pid.get())) {
      return Verdict.DEAD;
    }
    return isPostmasterOf(processes.commandLine(pid.get()), dataDirectory)
        ? Verdict.OURS : Verdict.NOT_OURS;
  }

  /** True when the arguments run {@code postgres} with {@code -D} naming this directory. */
  static boolean isPostmasterOf(List<String> commandLine, Path dataDirectory) {
    if (commandLine.isEmpty() || !Path.of(commandLine.get(0)).getFileName().toString()
        .equals("postgres")) {
      return false;
    }
    Path wanted = dataDirectory.toAbsolutePath().normalize();
    for (int i = 1; i < commandLine.size() - 1; i++) {
      if (commandLine.get(i).equals("-D")
          && Path.of(commandLine.get(i + 1)).toAbsolutePath().normalize().equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Makes the data directory startable: stops its leftover postmaster or removes a stale pid
   * file, logging what it found and did.
   *
   * @return the verdict it acted on
   */
  Verdict clear(Path dataDirectory) {
    Verdict verdict = inspect(dataDirectory);
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    switch (verdict) {
      case NONE -> { }
      case DEAD, NOT_OURS -> {
        log.warn(pidFile + " names pid " + pidIn(dataDirectory).orElse(-1L) + ", which is "
            + (verdict == Verdict.DEAD ? "not running" : "not this directory's postmaster")
            + ": removing the stale file left by a Forge that died");
        delete(pidFile);
      }
      case OURS -> stop(pidIn(dataDirectory).orElseThrow(), dataDirectory);
    }
    return verdict;
  }

  private void stop(long pid, Path dataDirectory) {
    log.warn("a PostgreSQL left by a Forge that died runs on " + dataDirectory + " (pid " + pid
        + "): fast shutdown");
    processes.signal(pid, "INT");
    if (awaitExit(pid, shutdownWait)) {
      log.info("the leftover PostgreSQL (pid " + pid + ") stopped cleanly");
      return;
    }
    if (isPostmasterOf(processes.commandLine(pid), dataDirectory)) {
      log.warn("the leftover PostgreSQL (pid " + pid + ") did not stop within " + shutdownWait
          + ": SIGKILL");
      processes.signal(pid, "KILL");
    }
    if (!awaitExit(pid, Duration.ofSeconds(10))) {
      throw new IllegalStateException("the PostgreSQL left on " + dataDirectory + " (pid " + pid
          + ") survived SIGKILL; stop it by hand before starting Forge");
    }
    delete(dataDirectory.resolve("postmaster.pid"));
  }

  private boolean awaitExit(long pid, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (processes.alive(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !processes.alive(pid);
      }
    }
    return true;
  }

  private static void delete(Path pidFile) {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the stale " + pidFile, e);
    }
  }

  /** {@code /proc} and {@code kill}, given as an argument list. */
  static final class ProcProcesses implements Processes {

    @Override
    public boolean alive(long pid) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
          && !zombie(pid);
    }

    private static boolean zombie(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        int close = stat.lastIndexOf(')');
        return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public List<String> commandLine(long pid) {
      try {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        String text = new String(raw, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\0"));
      } catch (IOException e) {
        return List.of();
      }
    }

    @Override
    public boolean signal(long pid, String signal) {
      try {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
            .redirectErrorStream(true).start();
        return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
      } catch (IOException e) {
        LogFactory.getLog(LeftoverPostmaster.class)
            .warn("cannot send SIG" + signal + " to " + pid + ": " + e);
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
