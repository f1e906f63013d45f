package dev.forge.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: the packaged Forge is killed with SIGKILL and started again on the same state
 * directory; the second start stops the PostgreSQL the first left behind, becomes healthy, and
 * finds the first one's database (its migration history) intact.
 */
class RestartAfterKillIT {

  private static final org.apache.commons.logging.Log LOG =
      org.apache.commons.logging.LogFactory.getLog(LeftoverPostmaster.class);

  private static final Path JAR = Path.of("target/forge-app.jar").toAbsolutePath();

  @Test
  void shouldStartAgainOnTheSameStateAfterSigkill() throws Exception {
    Path dataDir = Path.of("target/restart-after-kill/run-" + System.currentTimeMillis())
        .toAbsolutePath();
    Files.createDirectories(dataDir.resolve("repos"));
    int[] ports = freePorts(3);
    Path pgData = dataDir.resolve("postgres");
    Process first = launch(dataDir, ports, "first");
    Process second = null;
    try {
      awaitHealthy(first, ports[0]);
      String installedBefore = firstMigration(ports[2]);
      long leftover = LeftoverPostmaster.pidIn(pgData).orElseThrow();

      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      LeftoverPostmaster.ProcProcesses processes = new LeftoverPostmaster.ProcProcesses();
      assertThat(processes.alive(leftover)).as("the killed Forge's PostgreSQL outlives it").isTrue();

      second = launch(dataDir, ports, "second");
      awaitHealthy(second, ports[0]);

      assertThat(processes.alive(leftover)).as("the leftover PostgreSQL was stopped").isFalse();
      assertThat(LeftoverPostmaster.pidIn(pgData).orElseThrow()).isNotEqualTo(leftover);
      assertThat(firstMigration(ports[2])).isEqualTo(installedBefore);
      assertThat(Files.readString(dataDir.resolve("logs-second.log")))
          .contains("a PostgreSQL left by a Forge that died runs on " + pgData);
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
        second.destroyForcibly();
      }
      LeftoverPostmaster.onLinux(LOG).clear(pgData);
    }
  }

  private static String firstMigration(int postgresPort) throws Exception {
    try (Connection c = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT version || ' ' || installed_on FROM flyway_schema_history ORDER BY installed_rank LIMIT 1")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static Process launch(Path dataDir, int[] ports, String name) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
        "-jar", JAR.toString(), "--forge.data-dir=" + dataDir, "--server.port=" + ports[0],
        "--forge.embedded.temporal-port=" + ports[1],
        "--forge.embedded.postgres-port=" + ports[2], "--spring.temporal.start-workers=false"))
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("logs-" + name + ".log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("FORGE_") || k.startsWith("SPRING_"));
    return builder.start();
  }

  private static void awaitHealthy(Process process, int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/actuator/health"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("Forge exited with %s", process.isAlive() ? "" : process.exitValue()).isTrue();
      try {
        HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && answer.body().contains("UP")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Forge did not become healthy within 3 minutes");
  }

  private static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
    return ports;
  }
}
