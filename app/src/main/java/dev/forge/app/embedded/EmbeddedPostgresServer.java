package dev.forge.app.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.commons.logging.Log;

/**
 * A real PostgreSQL (zonky's embedded binaries) listening on 127.0.0.1, its data kept under the
 * given directory across restarts. As root it runs in a user namespace ({@code unshare -U}),
 * because PostgreSQL refuses to run as root.
 *
 * <p>Authentication ({@code pg_hba.conf}, rewritten at every start): the superuser {@code postgres}
 * is trusted on loopback — zonky checks readiness and Forge runs its migrations as it, without a
 * password — and every other role, the application's among them, must give its password
 * (scram-sha-256).
 *
 * <p>Before it starts, a PostgreSQL left running on the directory by a Forge that died is stopped,
 * and a stale {@code postmaster.pid} removed ({@link LeftoverPostmaster}).
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  static final String SUPERUSER = "postgres";

  static final String PG_HBA = """
      # Written by Forge at every start of its embedded PostgreSQL; edits are overwritten.
      # The superuser is trusted on loopback (migrations, zonky's readiness check); every other
      # role, such as the application's, needs its password.
      # TYPE  DATABASE  USER      ADDRESS       METHOD
      local   all       postgres                trust
      host    all       postgres  127.0.0.1/32  trust
      host    all       postgres  ::1/128       trust
      local   all       all                     scram-sha-256
      host    all       all       127.0.0.1/32  scram-sha-256
      host    all       all       ::1/128       scram-sha-256
      """;

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * @param dataDirectory where the cluster lives; created (initdb) on first start, reused after
   * @param ephemeral {@code true} to wipe it on close (tests)
   * @param port the port on 127.0.0.1, or 0 for any free one
   * @param log where a leftover of a dead Forge is reported
   */
  static EmbeddedPostgresServer start(Path dataDirectory, boolean ephemeral, int port, Log log) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      // A Forge killed earlier may have left its PostgreSQL running here (issue 20).
      LeftoverPostmaster.onLinux(log).clear(dataDirectory);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(ephemeral)
          .setPort(port)
          .setDataDirectoryCustomizer(EmbeddedPostgresServer::writeHba)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("password_encryption", "scram-sha-256")
          .setServerConfig("fsync", ephemeral ? "off" : "on")
          .start();
      return new EmbeddedPostgresServer(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory
          + (port == 0 ? "" : " on 127.0.0.1:" + port + " (is the port free?)")
          + "; see the log above (a stale postmaster.pid after a crash can be removed)", e);
    }
  }

  private static void writeHba(File dataDirectory) {
    try {
      Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDirectory, e);
    }
  }

  /** The JDBC URL, without a user: the datasource and Flyway each name theirs. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  /**
   * Sets the password of {@code role} when the role exists (migration V2 creates it on the first
   * start, with the same password), so the password file under {@code secrets} stays the truth
   * even when it was replaced.
   */
  void syncPassword(String role, String password) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      exists.setString(1, role);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          return;
        }
      }
      String alter;
      try (PreparedStatement format = c.prepareStatement("SELECT format('ALTER ROLE %I PASSWORD %L', ?, ?)")) {
        format.setString(1, role);
        format.setString(2, password);
        try (ResultSet rs = format.executeQuery()) {
          rs.next();
          alter = rs.getString(1);
        }
      }
      try (Statement statement = c.createStatement()) {
        statement.execute(alter);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the password of the database role " + role, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
    }
  }
}
