package dev.forge.app.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL (zonky's embedded binaries) listening on localhost, its data kept under the
 * given directory across restarts. As root it runs in a user namespace ({@code unshare -U}),
 * because PostgreSQL refuses to run as root.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * @param dataDirectory where the cluster lives; created (initdb) on first start, reused after
   * @param ephemeral {@code true} to wipe it on close (tests)
   */
  static EmbeddedPostgresServer start(Path dataDirectory, boolean ephemeral) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(ephemeral)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("fsync", ephemeral ? "off" : "on")
          .start();
      return new EmbeddedPostgresServer(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory
          + "; see the log above (a stale postmaster.pid after a crash can be removed)", e);
    }
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
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
