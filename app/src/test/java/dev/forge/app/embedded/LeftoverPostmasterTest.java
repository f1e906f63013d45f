package dev.forge.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A postmaster.pid left by a dead Forge: stop only this directory's postmaster, never another. */
class LeftoverPostmasterTest {

  private static final org.apache.commons.logging.Log LOG =
      org.apache.commons.logging.LogFactory.getLog(LeftoverPostmaster.class);

  @TempDir Path dataDir;

  private final LeftoverPostmaster real =
      new LeftoverPostmaster(LOG, new LeftoverPostmaster.ProcProcesses(), Duration.ofSeconds(5));

  @Test
  void shouldRemoveAPidFileWhoseProcessIsDead() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    writePidFile(gone.pid());

    assertThat(real.clear(dataDir)).isEqualTo(LeftoverPostmaster.Verdict.DEAD);
    assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
  }

  @Test
  void shouldLeaveALiveProcessThatIsNotThePostmasterAlone() throws Exception {
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      writePidFile(other.pid());

      assertThat(real.clear(dataDir)).isEqualTo(LeftoverPostmaster.Verdict.NOT_OURS);
      assertThat(other.isAlive()).as("the unrelated process was not signalled").isTrue();
      assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void shouldTellAnotherDirectorysPostmasterFromOurs() {
    Path other = dataDir.resolveSibling("elsewhere");
    assertThat(LeftoverPostmaster.isPostmasterOf(
        List.of("/opt/pg/bin/postgres", "-D", dataDir.toString(), "-p", "5432"), dataDir)).isTrue();
    assertThat(LeftoverPostmaster.isPostmasterOf(
        List.of("/opt/pg/bin/postgres", "-D", other.toString()), dataDir)).isFalse();
    assertThat(LeftoverPostmaster.isPostmasterOf(
        List.of("/usr/bin/sleep", "-D", dataDir.toString()), dataDir)).isFalse();
    assertThat(LeftoverPostmaster.isPostmasterOf(List.of(), dataDir)).isFalse();
  }

  @Test
  void shouldFastShutDownOurPostmasterAndKillItOnlyWhenItIgnoresThat() throws Exception {
    writePidFile(4242);
    FakePostmaster stubborn = new FakePostmaster(4242, dataDir, false);

    assertThat(new LeftoverPostmaster(LOG, stubborn, Duration.ofMillis(300)).clear(dataDir))
        .isEqualTo(LeftoverPostmaster.Verdict.OURS);
    assertThat(stubborn.signals).containsExactly("INT", "KILL");
    assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();

    writePidFile(4242);
    FakePostmaster obliging = new FakePostmaster(4242, dataDir, true);
    new LeftoverPostmaster(LOG, obliging, Duration.ofSeconds(5)).clear(dataDir);
    assertThat(obliging.signals).containsExactly("INT");
  }

  private void writePidFile(long pid) throws Exception {
    Files.writeString(dataDir.resolve("postmaster.pid"),
        pid + "\n" + dataDir + "\n1764940000\n5432\n/tmp\n127.0.0.1\n  1234  5678\nready\n");
  }

  /** A postmaster that stops on SIGINT, or only on SIGKILL. */
  private static final class FakePostmaster implements LeftoverPostmaster.Processes {
    final List<String> signals = new ArrayList<>();
    private final long pid;
    private final Path dir;
    private final boolean stopsOnInt;
    private boolean alive = true;

    FakePostmaster(long pid, Path dir, boolean stopsOnInt) {
      this.pid = pid;
      this.dir = dir;
      this.stopsOnInt = stopsOnInt;
    }

    @Override
    public boolean alive(long p) {
      return p == pid && alive;
    }

    @Override
    public List<String> commandLine(long p) {
      return alive(p) ? List.of("/opt/pg/bin/postgres", "-D", dir.toString()) : List.of();
    }

    @Override
    public boolean signal(long p, String signal) {
      signals.add(signal);
      if (signal.equals("KILL") || stopsOnInt) {
        alive = false;
      }
      return true;
    }
  }
}
