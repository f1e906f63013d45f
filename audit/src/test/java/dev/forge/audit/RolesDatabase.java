package dev.forge.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real PostgreSQL set up like the embedded default: the superuser (the tables' owner) trusted
 * on loopback, every other role by password; Forge's migrations applied as the owner, creating the
 * application role {@code forge_app} with {@code appPassword}. For the tests that check what that
 * role may and may not do.
 */
final class RolesDatabase implements AutoCloseable {

  private static final String PG_HBA = """
      host all postgres 127.0.0.1/32 trust
      host all postgres ::1/128 trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  final EmbeddedPostgres postgres;
  final DataSource appDataSource;
  final JdbcClient owner;
  final JdbcClient app;

  private RolesDatabase(EmbeddedPostgres postgres, String appPassword) {
    this.postgres = postgres;
    DataSource ownerDataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(ownerDataSource)
        .placeholders(Map.of("appRole", "forge_app", "appPassword", appPassword)).load().migrate();
    this.owner = JdbcClient.create(ownerDataSource);
    this.appDataSource =
        postgres.getDatabase("forge_app", "postgres", Map.of("password", appPassword));
    this.app = JdbcClient.create(appDataSource);
  }

  static RolesDatabase migrated(String appPassword) throws IOException {
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectoryCustomizer(dir -> {
      try {
        Files.writeString(dir.toPath().resolve("pg_hba.conf"), PG_HBA);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).start();
    return new RolesDatabase(postgres, appPassword);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
