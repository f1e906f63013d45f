package dev.forge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit log and cost ledger against a real PostgreSQL with the real migrations. */
class JdbcAuditLogIT {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static JdbcAuditLog auditLog;
  private static CostLedger ledger;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
    DataSource dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource)
        .placeholders(Map.of("appRole", "forge_app", "appPassword", "")).load().migrate();
    jdbc = JdbcClient.create(dataSource);
    auditLog = new JdbcAuditLog(jdbc, new ObjectMapper());
    ledger = new CostLedger(jdbc);
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Test
  void shouldStoreAnEntryOnceWhenTheSameRequestIsWrittenTwice() {
    AuditEntry entry = new AuditEntry("req-1", "loop-aaa", "run-1", 2, "dev", "gate.decided",
        "production_deploy", Map.of("decision", "APPROVED", "checks", 3));

    boolean first = auditLog.append(entry);
    boolean second = auditLog.append(entry);

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(auditLog.forLoop("loop-aaa", 0, 10)).singleElement().satisfies(stored -> {
      assertThat(stored.action()).isEqualTo("gate.decided");
      assertThat(stored.iteration()).isEqualTo(2);
      assertThat(stored.detail()).containsEntry("decision", "APPROVED").containsEntry("checks", 3);
      assertThat(stored.recordedAt()).isNotNull();
    });
  }

  @Test
  void shouldRefuseToUpdateOrDeleteAuditEntries() {
    auditLog.append(new AuditEntry("req-2", "loop-bbb", null, 0, "dev", "loop.start", "x", Map.of()));

    assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET actor = 'mallory' WHERE loop_id = 'loop-bbb'").update())
        .rootCause().hasMessageContaining("audit_log is append-only");
    assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log WHERE loop_id = 'loop-bbb'").update())
        .rootCause().hasMessageContaining("audit_log is append-only");
    assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_log").update())
        .rootCause().hasMessageContaining("audit_log is append-only");
    assertThat(auditLog.forLoop("loop-bbb", 0, 10)).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("dev"));
  }

  @Test
  void shouldPageEntriesOldestFirst() {
    for (int i = 0; i < 5; i++) {
      auditLog.append(new AuditEntry("page-" + i, "loop-ccc", null, i, "forge", "step", "t" + i, Map.of()));
    }

    assertThat(auditLog.forLoop("loop-ccc", 2, 2)).extracting(StoredAuditEntry::target)
        .containsExactly("t2", "t3");
  }

  @Test
  void shouldRecordEachIterationsCostOnce() {
    CostEntry entry = new CostEntry("loop-ddd", 1, 1200, 0, 0, 300, new BigDecimal("0.012345"),
        "reported", "forge-demo", new BigDecimal("0.012345"), new BigDecimal("1.00"));

    assertThat(ledger.record(entry)).isTrue();
    assertThat(ledger.record(entry)).isFalse();
    assertThat(ledger.forLoop("loop-ddd")).singleElement().satisfies(row -> {
      assertThat(row.costUsd()).isEqualByComparingTo("0.012345");
      assertThat(row.inputTokens()).isEqualTo(1200);
    });
  }
}
