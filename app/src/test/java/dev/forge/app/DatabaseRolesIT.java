package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.audit.AuditRetention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole application runs as the database role {@code forge_app}, not as the owner of the audit
 * log: its own DataSource can read and append, and nothing more.
 */
class DatabaseRolesIT extends ForgeIT {

  @Autowired DataSource dataSource;
  @Autowired AuditRetention retention;
  @Value("${spring.datasource.url}") String url;

  @Test
  void shouldConnectAsTheApplicationRoleWithItsGeneratedPassword() throws Exception {
    JdbcClient jdbc = JdbcClient.create(dataSource);

    Map<String, Object> who = jdbc.sql("SELECT current_user AS cu, session_user AS su,"
        + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super,"
        + " (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log') AS owner")
        .query().singleRow();

    assertThat(who.get("cu")).isEqualTo("forge_app");
    assertThat(who.get("su")).isEqualTo("forge_app");
    assertThat(who.get("super")).isEqualTo(false);
    assertThat(who.get("owner")).isEqualTo("postgres");
    // the password is generated once, private, and really needed
    Path passwordFile = DATA.resolve("secrets/postgres-forge_app.password");
    assertThat(Files.getPosixFilePermissions(passwordFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String password = Files.readString(passwordFile).strip();
    try (Connection c = DriverManager.getConnection(url, "forge_app", password)) {
      assertThat(c.isValid(1)).isTrue();
    }
    assertThatThrownBy(() -> DriverManager.getConnection(url, "forge_app", "not-the-password").close())
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void shouldGiveTheApplicationNoWayToChangeTheAuditLog() {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql("INSERT INTO audit_log (request_id, actor, action) VALUES ('roles-app-it', 'dev', 'x')")
        .update();

    for (String sql : List.of(
        "UPDATE audit_log SET actor = 'mallory' WHERE request_id = 'roles-app-it'",
        "DELETE FROM audit_log WHERE request_id = 'roles-app-it'",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_log_no_update_or_delete ON audit_log")) {
      assertThatThrownBy(() -> jdbc.sql(sql).update()).as(sql)
          .rootCause().hasMessageMatching("(?s).*(must be owner|permission denied).*");
    }
    assertThat(jdbc.sql("SELECT actor FROM audit_log WHERE request_id = 'roles-app-it'")
        .query(String.class).list()).containsExactly("dev");
  }

  @Test
  void shouldKeepAuditEntriesForAYearByDefault() {
    assertThat(retention.retention()).isEqualTo(Duration.ofDays(365));
    assertThat(retention.isRunning()).isTrue();
  }
}
