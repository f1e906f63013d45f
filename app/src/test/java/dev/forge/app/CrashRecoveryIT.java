package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery, with the worker in its own process (the platform — API, Temporal, PostgreSQL —
 * in another), both started from the packaged jar: loops reach their states although the worker
 * is killed with SIGKILL, and a checkpoint interrupted between its commit and its completion is
 * committed once. {@code bench/crash-recovery.sh} runs the first test with 20 loops.
 *
 * <p>System properties: {@code forge.crash.loops} (default 10, two of each shape), {@code
 * forge.crash.seed} (default: the clock; printed), {@code forge.crash.iterations} (how many
 * iterations the scripted loops run to their limit, default 6), {@code forge.crash.max-kills} (default 50),
 * {@code forge.crash.gap-seconds} (the worker lives a random time in this range before each kill,
 * default {@code 10-20}).
 */
class CrashRecoveryIT {

  private static final Path RUNS = Path.of("target/crash-recovery").toAbsolutePath();
  private static final Duration REAPER_PERIOD = Duration.ofSeconds(10);
  private static ForgeProcesses forge;

  @BeforeAll
  static void startPlatform() throws Exception {
    // A fresh directory per run: an earlier run's work trees may still be mounted file systems.
    forge = ForgeProcesses.startPlatform(RUNS.resolve("run-" + System.currentTimeMillis()),
        REAPER_PERIOD);
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (forge != null) {
      forge.close();
    }
  }

  @Test
  void shouldBringEveryLoopToItsStateThroughRandomWorkerKills() throws Exception {
    CrashRun run = new CrashRun(forge, Integer.getInteger("forge.crash.loops", 10),
        Integer.getInteger("forge.crash.iterations", 6),
        Long.getLong("forge.crash.seed", System.currentTimeMillis()),
        Integer.getInteger("forge.crash.max-kills", 50),
        System.getProperty("forge.crash.gap-seconds", "10-20"));

    // 10 loops end in about 2 minutes; a loop still open after 10 fails the run, not CI's clock.
    CrashRun.Report report =
        run.run(Duration.ofMinutes(Integer.getInteger("forge.crash.limit-minutes", 10)));

    System.out.println(report);
    Files.writeString(forge.logDir.resolve("report.txt"), report.toString());
    assertThat(report.kills()).as("the worker was killed at least once").isPositive();
    assertThat(report.problems()).as(report.toString()).isEmpty();
    assertThat(report.duplicatedCheckpoints()).isZero();
    assertThat(report.leftoversAfterSweep()).isZero();
    assertThat(report.wrongStates()).isZero();
  }

  /**
   * The worker dies after the checkpoint's commit is on the branch and before the activity
   * completes: its audit entry, written after the branch moved, is held by a trigger until the
   * worker has been killed. The retried attempt must find the commit instead of making a second.
   */
  @Test
  void shouldLeaveOneCommitWhenTheWorkerDiesBetweenCommitAndCompletion() throws Exception {
    // given a running worker and a database that holds the audit entry of checkpoint iteration-3
    startWorkerIfNeeded();
    long lock = 4_242_001L;
    try (Connection holder = forge.superuser(); Connection admin = forge.superuser();
        Statement hold = holder.createStatement(); Statement ddl = admin.createStatement()) {
      hold.execute("SELECT pg_advisory_lock(" + lock + ")");
      ddl.execute("CREATE OR REPLACE FUNCTION forge_test_hold() RETURNS trigger LANGUAGE plpgsql"
          + " AS $$ BEGIN PERFORM pg_advisory_xact_lock(" + lock + "); RETURN NEW; END; $$");
      ddl.execute("CREATE TRIGGER forge_test_hold BEFORE INSERT ON audit_log FOR EACH ROW"
          + " WHEN (NEW.action = 'checkpoint.created' AND NEW.detail->>'key' = 'iteration-3')"
          + " EXECUTE FUNCTION forge_test_hold()");
      try {
        CrashLoop loop = new CrashLoop(CrashLoop.Shape.COST_CAP,
            ExampleRepos.create(forge.dataDir.resolve("repos").resolve("one-commit")), 4, 0);
        ForgeHttp dev = new ForgeHttp(forge.api(), forge.token("dev"));
        ForgeHttp.Answer started = dev.post("/api/loops", loop.startRequest());
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        loop.loopId = started.json().get("loopId").asText();

        // when the checkpoint's insert waits on the lock, its commit is on the branch: kill
        awaitWaitingInsert(admin, lock);
        assertThat(loop.checkpoints().keys()).containsEntry("iteration-3", 1);
        forge.killWorker();
        hold.execute("SELECT pg_advisory_unlock(" + lock + ")");
        long restarted = System.nanoTime();
        forge.startWorker();
        JsonNode end = dev.awaitStatus(loop.loopId, ForgeHttpStates::terminal,
            Duration.ofMinutes(3));
        Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

        // then the loop ended as planned, with exactly one commit and one audit entry per key
        loop.end = end;
        assertThat(loop.endProblems()).isEmpty();
        CrashLoop.Checkpoints checkpoints = loop.checkpoints();
        assertThat(checkpoints.problems()).isEmpty();
        assertThat(checkpoints.keys()).containsEntry("iteration-3", 1)
            .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        assertThat(checkpointEntries(admin, loop.loopId, "iteration-3")).isEqualTo(1);
        // and the dead worker's attempt was retried at once, not after the 5 min start-to-close
        assertThat(recovery).isLessThan(Duration.ofMinutes(2));
      } finally {
        ddl.execute("DROP TRIGGER IF EXISTS forge_test_hold ON audit_log");
      }
    }
  }

  private static void startWorkerIfNeeded() throws Exception {
    if (!forge.workerReady()) {
      forge.startWorker();
    }
  }

  private static void awaitWaitingInsert(Connection admin, long lock) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
              + " AND objid = " + lock)) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      ForgeProcesses.sleep(Duration.ofMillis(100));
    }
    throw new AssertionError("the checkpoint of iteration 3 never reached its audit entry");
  }

  private static int checkpointEntries(Connection admin, String loopId, String key)
      throws Exception {
    try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT count(*) FROM audit_log WHERE action = 'checkpoint.created' AND loop_id = '"
            + loopId.replace("'", "") + "' AND detail->>'key' = '" + key + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
