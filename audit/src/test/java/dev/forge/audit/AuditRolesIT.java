package dev.forge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The two database roles against a real PostgreSQL with the real migrations: the migrations run
 * as the owner (the superuser here), the application connects as {@code forge_app}, which may only
 * read and append, cannot touch the triggers, and can remove entries only through the retention
 * function.
 */
class AuditRolesIT {

  private static final String PASSWORD = "it's a \"$1\" \\ password";
  private static final Map<String, String> PLACEHOLDERS =
      Map.of("appRole", "forge_app", "appPassword", PASSWORD);
  @RegisterExtension
  static final RolesDatabase db = new RolesDatabase(PASSWORD);

  @Test
  void shouldLetTheApplicationRoleReadAndAppend() {
    JdbcAuditLog auditLog = new JdbcAuditLog(db.app(), new ObjectMapper());
    CostLedger ledger = new CostLedger(db.app());

    boolean appended = auditLog.append(new AuditEntry("roles-1", "loop-roles0001", null, 1, "dev",
        "loop.start.requested", "loop-roles0001", Map.of("repository", "/r")));
    boolean recorded = ledger.record(new CostEntry("loop-roles0001", 1, 10, 0, 0, 5,
        new BigDecimal("0.01"), "reported", "m", new BigDecimal("0.01"), new BigDecimal("1")));

    assertThat(db.app().sql("SELECT current_user").query(String.class).single()).isEqualTo("forge_app");
    assertThat(appended).isTrue();
    assertThat(recorded).isTrue();
    assertThat(auditLog.forLoop("loop-roles0001", 0, 10)).singleElement()
        .satisfies(e -> assertThat(e.action()).isEqualTo("loop.start.requested"));
    assertThat(ledger.forLoop("loop-roles0001")).hasSize(1);
    assertThat(new LoopIndex(db.app()).list(new LoopIndex.Filter(null, null, null, true), 0, 10).loops())
        .extracting(LoopRecord::loopId).contains("loop-roles0001");
  }

  @Test
  void shouldCreateTheRoleWithThePasswordFromThePlaceholderAndNoPowers() {
    Map<String, Object> role = db.owner().sql("SELECT rolpassword, rolsuper, rolcreaterole, rolcreatedb,"
        + " rolcanlogin FROM pg_authid WHERE rolname = 'forge_app'").query().singleRow();

    assertThat((String) role.get("rolpassword")).startsWith("SCRAM-SHA-256$");
    // the password from the placeholder is the one that logs in (pg_hba asks forge_app for it)
    assertThatThrownBy(() -> db.postgres().getDatabase("forge_app", "postgres",
        Map.of("password", "wrong")).getConnection().close())
        .hasMessageContaining("password authentication failed");
    assertThat(role).containsEntry("rolsuper", false).containsEntry("rolcreaterole", false)
        .containsEntry("rolcreatedb", false).containsEntry("rolcanlogin", true);
  }

  @Test
  void shouldRefuseUpdateDeleteAndTruncateToTheApplicationRole() {
    insertAsOwner("roles-2", "loop-roles0002", "now()");

    for (String sql : List.of(
        "UPDATE audit_log SET actor = 'mallory' WHERE loop_id = 'loop-roles0002'",
        "DELETE FROM audit_log WHERE loop_id = 'loop-roles0002'",
        "TRUNCATE audit_log",
        "UPDATE cost_ledger SET cost_usd = 0",
        "DELETE FROM cost_ledger",
        "TRUNCATE cost_ledger")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().hasMessageContaining("permission denied");
    }
    assertThat(db.owner().sql("SELECT actor FROM audit_log WHERE loop_id = 'loop-roles0002'")
        .query(String.class).list()).containsExactly("dev");
  }

  @Test
  void shouldRefuseToLetTheApplicationRoleDisableDropOrReplaceTheTriggers() {
    for (String sql : List.of(
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
        "DROP TRIGGER audit_log_no_update_or_delete ON audit_log",
        "DROP TRIGGER audit_log_no_truncate ON audit_log",
        "ALTER TABLE audit_log OWNER TO forge_app",
        "DROP TABLE audit_log",
        "CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql"
            + " AS $$ BEGIN RETURN OLD; END; $$",
        "DROP FUNCTION forge_purge_audit(timestamptz)",
        "SET session_replication_role = replica")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().hasMessageMatching("(?s).*(must be owner|permission denied).*");
    }
    assertThat(db.owner().sql("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass"
        + " AND tgenabled = 'O' AND NOT tgisinternal").query(Long.class).single()).isEqualTo(2);
  }

  @Test
  void shouldRefuseBackdatedEntriesAndChosenIdsFromTheApplicationRole() {
    assertThatThrownBy(() -> db.app().sql("INSERT INTO audit_log (request_id, actor, action, recorded_at)"
        + " VALUES ('roles-old', 'dev', 'x', now() - interval '10 years')").update())
        .rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> db.app().sql("INSERT INTO audit_log (id, request_id, actor, action)"
        + " VALUES (1000000, 'roles-id', 'dev', 'x')").update())
        .rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> db.app().sql("SELECT setval('audit_log_id_seq', 1)").query().singleValue())
        .rootCause().hasMessageContaining("permission denied");
  }

  @Test
  void shouldNotLetTheApplicationRoleBypassThePurgeGuard() throws SQLException {
    insertAsOwner("roles-guard", "loop-roles0003", "now() - interval '400 days'");

    // the marker the purge function sets, set by the application role itself: DELETE still fails
    try (Connection c = db.appDataSource().getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SELECT set_config('forge.audit_purge', 'on', true)");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_log WHERE loop_id = 'loop-roles0003'"))
          .hasMessageContaining("permission denied");
      c.rollback();
    }
    // the function refuses a cut-off younger than a day, whatever the caller asks
    assertThatThrownBy(() -> db.app().sql("SELECT forge_purge_audit(now() - interval '1 hour')")
        .query(Long.class).single())
        .rootCause().hasMessageContaining("removes nothing younger than 1 day");
    assertThatThrownBy(() -> db.app().sql("SELECT forge_purge_audit(NULL)").query(Long.class).single())
        .rootCause().hasMessageContaining("removes nothing younger than 1 day");
    // even the owner cannot DELETE without going through the function
    assertThatThrownBy(() -> db.owner().sql("DELETE FROM audit_log WHERE loop_id = 'loop-roles0003'").update())
        .rootCause().hasMessageContaining("audit_log is append-only");
    assertThat(db.owner().sql("SELECT count(*) FROM audit_log WHERE loop_id = 'loop-roles0003'")
        .query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void shouldPurgeOnlyEntriesOlderThanTheRetentionAndRecordThePurge() throws Exception {
    insertAsOwner("ret-old-1", "loop-retent0001", "now() - interval '400 days'");
    insertAsOwner("ret-old-2", "loop-retent0001", "now() - interval '31 days'");
    insertAsOwner("ret-recent", "loop-retent0001", "now() - interval '29 days'");
    insertAsOwner("ret-new", "loop-retent0001", "now()");
    long purgesBefore = purgeEntries().size();
    AuditRetention retention =
        new AuditRetention(db.app(), Duration.ofDays(30), Clock.systemUTC(), Duration.ofDays(1));

    // when the job starts (it purges once at start, as the application role)
    retention.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (purgeEntries().size() == purgesBefore && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      retention.stop();
    }

    // then the old entries are gone, the recent ones stay, and the purge is itself an entry
    assertThat(db.owner().sql("SELECT request_id FROM audit_log WHERE loop_id = 'loop-retent0001' ORDER BY id")
        .query(String.class).list()).containsExactly("ret-recent", "ret-new");
    List<Map<String, Object>> purges = purgeEntries();
    assertThat(purges).hasSize((int) purgesBefore + 1);
    Map<String, Object> purge = purges.get(purges.size() - 1);
    assertThat(purge.get("actor")).isEqualTo("forge");
    assertThat(purge.get("removed")).isEqualTo("2");
    assertThat((String) purge.get("older_than")).isNotBlank();
    assertThat(purge.get("requested_by")).isEqualTo("forge_app");
    // and a second run finds nothing more to remove, and records nothing
    assertThat(retention.purgeOnce()).isZero();
    assertThat(purgeEntries()).hasSize(purges.size());
  }

  @Test
  void shouldKeepEverythingWithRetentionZeroAndRefuseRetentionsUnderADay() {
    AuditRetention forever = new AuditRetention(db.app(), Duration.ZERO, Clock.systemUTC(), Duration.ofDays(1));

    assertThat(forever.purgeOnce()).isZero();
    assertThatThrownBy(() -> new AuditRetention(db.app(), Duration.ofHours(23), Clock.systemUTC(),
        Duration.ofDays(1))).hasMessageContaining("at least 1d");
    assertThatThrownBy(() -> new AuditRetention(db.app(), Duration.ofDays(-1), Clock.systemUTC(),
        Duration.ofDays(1))).hasMessageContaining("at least 1d");
  }

  @Test
  void shouldMigrateAgainWhenTheRoleExistsAlready() {
    // roles belong to the cluster: a second database finds forge_app created, as an operator would
    db.owner().sql("CREATE DATABASE forge_second").update();
    DataSource second = db.postgres().getDatabase("postgres", "forge_second");
    Flyway.configure().dataSource(second).placeholders(PLACEHOLDERS).load().migrate();

    JdbcClient appOnSecond = JdbcClient.create(
        db.postgres().getDatabase("forge_app", "forge_second", Map.of("password", PASSWORD)));
    assertThat(new JdbcAuditLog(appOnSecond, new ObjectMapper()).append(
        new AuditEntry("second-1", null, null, 0, "dev", "x", null, Map.of()))).isTrue();
    assertThatThrownBy(() -> appOnSecond.sql("DELETE FROM audit_log").update())
        .rootCause().hasMessageContaining("permission denied");
  }

  private static void insertAsOwner(String requestId, String loopId, String recordedAt) {
    db.owner().sql("INSERT INTO audit_log (request_id, loop_id, actor, action, recorded_at) VALUES (:r, :l,"
            + " 'dev', 'step', " + recordedAt + ")")
        .param("r", requestId).param("l", loopId).update();
  }

  private static List<Map<String, Object>> purgeEntries() {
    return db.owner().sql("""
            SELECT actor, detail->>'removed' AS removed, detail->>'olderThan' AS older_than,
                   detail->>'requestedBy' AS requested_by
            FROM audit_log WHERE action = 'audit.purged' ORDER BY id
            """)
        .query().listOfRows();
  }
}
