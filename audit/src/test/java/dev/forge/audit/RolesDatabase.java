package dev.forge.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real PostgreSQL set up like the embedded default: the superuser (the tables' owner) trusted
 * on loopback, every other role by password; Forge's migrations applied as the owner, creating the
 * application role {@code forge_app} with {@code appPassword}. For the tests that check what that
 * role may and may not do. Registered as a static extension, it starts before a test class's
 * first test and stops after its last: {@code @RegisterExtension static final RolesDatabase db =
 * new RolesDatabase("a password");}.
 */
final class RolesDatabase implements BeforeAllCallback, AfterAllCallback {

  private static final String PG_HBA = """
      host all postgres 127.0.0.1/32 trust
      host all postgres ::1/128 trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private final String appPassword;
  private EmbeddedPostgres postgres;
  private DataSource appDataSource;
  private JdbcClient owner;
  private JdbcClient app;

  RolesDatabase(String appPassword) {
    this.appPassword = appPassword;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    postgres = EmbeddedPostgres.builder().setDataDirectoryCustomizer(dir -> {
      try {
        Files.writeString(dir.toPath().resolve("pg_hba.conf"), PG_HBA);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).start();
    DataSource ownerDataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(ownerDataSource)
        .placeholders(Map.of("appRole", "forge_app", "appPassword", appPassword)).load().migrate();
    owner = JdbcClient.create(ownerDataSource);
    appDataSource = postgres.getDatabase("forge_app", "postgres", Map.of("password", appPassword));
    app = JdbcClient.create(appDataSource);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  EmbeddedPostgres postgres() {
    return postgres;
  }

  /** The application role's connections ({@code forge_app}). */
  DataSource appDataSource() {
    return appDataSource;
  }

  /** As the tables' owner (the superuser here). */
  JdbcClient owner() {
    return owner;
  }

  /** As the application role. */
  JdbcClient app() {
    return app;
  }
}
