package dev.forge.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forge as two operating-system processes started from the packaged jar, as an operator would run
 * them: the <b>platform</b> (API, embedded Temporal test server, embedded PostgreSQL; no worker
 * polls) and one <b>worker</b> pointed at it, which can be killed with SIGKILL and started again.
 * Each process logs to its own file under {@code <data-dir>/../logs}.
 */
final class ForgeProcesses implements AutoCloseable {

  static final Path JAR = Path.of("target/forge-app.jar").toAbsolutePath();
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  final Path dataDir;
  final Path logDir;
  final int temporalPort;
  final int postgresPort;
  final int apiPort;
  final int workerPort;
  private final Duration reaperPeriod;
  private final Process platform;
  private volatile Process worker;
  private volatile boolean workerReady;
  private int workerStarts;

  private ForgeProcesses(Path dataDir, Duration reaperPeriod) throws IOException {
    this.dataDir = dataDir;
    this.logDir = dataDir.resolveSibling(dataDir.getFileName() + "-logs");
    this.reaperPeriod = reaperPeriod;
    Files.createDirectories(dataDir.resolve("repos"));
    Files.createDirectories(logDir);
    int[] ports = freePorts(4);
    temporalPort = ports[0];
    postgresPort = ports[1];
    apiPort = ports[2];
    workerPort = ports[3];
    platform = launch("platform", List.of(
        "--forge.data-dir=" + dataDir,
        "--server.port=" + apiPort,
        "--forge.embedded.temporal-port=" + temporalPort,
        "--forge.embedded.postgres-port=" + postgresPort,
        "--spring.temporal.start-workers=false",
        // Ten loops at once, each with the default 10g disk quota: sparse images, thinly
        // provisioned here (the disk reservation itself is tried by OperatorPolicyIT).
        "--forge.policy.quotas.disk-overcommit=50"), List.of());
  }

  /** Starts the platform in an empty {@code dataDir} and waits until its API answers. */
  static ForgeProcesses startPlatform(Path dataDir, Duration reaperPeriod) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(JAR + " is missing: run mvn package (verify builds it first)");
    }
    ForgeProcesses forge = new ForgeProcesses(dataDir, reaperPeriod);
    // A test JVM stopped from outside takes its processes (and the platform's PostgreSQL) along.
    Runtime.getRuntime().addShutdownHook(new Thread(forge::close, "forge-processes-stop"));
    forge.awaitHealthy(forge.platform, forge.apiPort, "platform");
    return forge;
  }

  /** Starts a worker and waits until it serves; the previous one must be gone. */
  synchronized void startWorker() throws IOException {
    if (worker != null && worker.isAlive()) {
      throw new IllegalStateException("a worker is running already");
    }
    String password = Files.readString(
        dataDir.resolve("secrets").resolve("postgres-forge_app.password")).strip();
    workerStarts++;
    worker = launch("worker-" + workerStarts, List.of(
        "--forge.data-dir=" + dataDir,
        "--server.port=" + workerPort,
        "--spring.temporal.connection.target=127.0.0.1:" + temporalPort,
        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres",
        "--spring.datasource.username=forge_app",
        "--spring.flyway.enabled=false",
        "--forge.worker.sticky-execution=false",
        "--forge.worker.reaper-period=" + reaperPeriod.toSeconds() + "s",
        "--forge.worker.heartbeat-interval=1s"),
        // the password travels in the environment, never on the command line
        List.of("SPRING_DATASOURCE_PASSWORD=" + password));
    awaitHealthy(worker, workerPort, "worker-" + workerStarts);
    workerReady = true;
  }

  /** SIGKILL: the worker gets no chance to finish anything. */
  synchronized void killWorker() throws InterruptedException {
    workerReady = false;
    worker.destroyForcibly();
    if (!worker.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("worker " + worker.pid() + " survived SIGKILL");
    }
  }

  boolean workerReady() {
    return workerReady;
  }

  int workerStarts() {
    return workerStarts;
  }

  URI api() {
    return URI.create("http://127.0.0.1:" + apiPort);
  }

  String token(String user) {
    try {
      return Files.readString(dataDir.resolve("secrets").resolve(user + ".token")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The platform's PostgreSQL as its superuser (trusted on loopback), for test instruments. */
  Connection superuser() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", "postgres", "");
  }

  private Process launch(String name, List<String> args, List<String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logDir.resolve(name + ".log").toFile());
    // Only what the command line says: no FORGE_*/SPRING_* of the environment running the tests.
    builder.environment().keySet().removeIf(k -> k.startsWith("FORGE_") || k.startsWith("SPRING_"));
    for (String variable : env) {
      int eq = variable.indexOf('=');
      builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
    }
    return builder.start();
  }

  private void awaitHealthy(Process process, int port, String name) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/actuator/health")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; see "
            + logDir.resolve(name + ".log") + ":\n" + tail(logDir.resolve(name + ".log")));
      }
      try {
        HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && answer.body().contains("UP")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      sleep(Duration.ofMillis(250));
    }
    throw new AssertionError(name + " did not become healthy within " + START_LIMIT);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Stops the worker and then the platform gracefully (SIGTERM), forcibly when they hang. */
  @Override
  public void close() {
    try {
      for (Process process : new Process[] {worker, platform}) {
        if (process != null && process.isAlive()) {
          process.destroy();
          if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
