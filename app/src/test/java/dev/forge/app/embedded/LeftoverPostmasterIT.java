package dev.forge.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real embedded postmaster is recognised as its directory's own and stopped cleanly. */
class LeftoverPostmasterIT {

  private static final org.apache.commons.logging.Log LOG =
      org.apache.commons.logging.LogFactory.getLog(LeftoverPostmaster.class);

  @TempDir Path parent;

  @Test
  void shouldRecogniseAndStopARealPostmasterOfItsDirectory() throws Exception {
    Path dataDir = parent.resolve("postgres");
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir)
        .setRegisterShutdownHook(false).start();
    long pid = LeftoverPostmaster.pidIn(dataDir).orElseThrow();
    try {
      LeftoverPostmaster leftover = LeftoverPostmaster.onLinux(LOG);
      assertThat(leftover.inspect(parent.resolve("elsewhere"))).isEqualTo(LeftoverPostmaster.Verdict.NONE);
      assertThat(leftover.inspect(dataDir)).isEqualTo(LeftoverPostmaster.Verdict.OURS);

      assertThat(leftover.clear(dataDir)).isEqualTo(LeftoverPostmaster.Verdict.OURS);

      // stopped (a zombie until whoever adopted it after pg_ctl exited reaps it)
      assertThat(new LeftoverPostmaster.ProcProcesses().alive(pid)).isFalse();
      assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
    } finally {
      postgres.close();
    }
  }
}
