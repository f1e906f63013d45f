package dev.forge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The model call ledger against a real PostgreSQL with the real migrations. */
class ModelCallLedgerIT {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static ModelCallLedger ledger;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
    DataSource dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource)
        .placeholders(Map.of("appRole", "forge_app", "appPassword", "")).load().migrate();
    jdbc = JdbcClient.create(dataSource);
    ledger = new ModelCallLedger(jdbc);
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Test
  void shouldCountACallOnceAcrossAttemptsAndSumTheStep() {
    UUID first = UUID.randomUUID();
    assertThat(ledger.record(call(first, "loop-a", "run-1", "0.010000", "metered", null)))
        .isTrue();
    // the same call recorded again (a retried write) changes nothing
    assertThat(ledger.record(call(first, "loop-a", "run-1", "0.010000", "metered", null)))
        .isFalse();
    // a second attempt of the same step, after a worker was killed
    ledger.record(call(UUID.randomUUID(), "loop-a", "run-2", "0.020000", "unreported", null));
    ledger.record(call(UUID.randomUUID(), "loop-a", "run-2", "0", "refused", "cost_cap"));
    // another loop's call does not count
    ledger.record(call(UUID.randomUUID(), "loop-b", "run-9", "5.000000", "metered", null));

    ModelCallLedger.StepTotals totals = ledger.totals("loop-a", 1, "agent");

    assertThat(totals.calls()).isEqualTo(3);
    assertThat(totals.costUsd()).isEqualByComparingTo("0.03");
    assertThat(totals.inputTokens()).isEqualTo(200);
    assertThat(totals.refusedForCap()).isEqualTo(1);
    assertThat(totals.unmetered()).isEqualTo(1);
    assertThat(totals.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(ledger.totals("loop-c", 1, "agent").calls()).isZero();
    assertThat(ledger.totals("loop-c", 1, "agent").costUsd()).isEqualByComparingTo("0");
  }

  @Test
  void shouldNeverChangeARecordedCall() {
    UUID id = UUID.randomUUID();
    ledger.record(call(id, "loop-d", "run-1", "0.5", "metered", null));

    assertThatThrownBy(() -> jdbc.sql("UPDATE model_call SET cost_usd = 0 WHERE call_id = :id")
        .param("id", id).update()).rootCause().hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.sql("DELETE FROM model_call WHERE call_id = :id")
        .param("id", id).update()).rootCause().hasMessageContaining("append-only");
  }

  private static ModelCallEntry call(UUID id, String loop, String attempt, String cost,
      String source, String refusal) {
    return new ModelCallEntry(id, loop, 1, "agent", attempt, "anthropic",
        refusal == null ? "claude-sonnet-4-5" : null, "/v1/messages", refusal == null ? 200 : 400,
        true, refusal == null ? 100 : 0, 0, 0, refusal == null ? 50 : 0, new BigDecimal(cost),
        source, new BigDecimal("0.5"), 12, refusal);
  }
}
