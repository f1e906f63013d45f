package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code forge-cli approve}: bound to a named checkpoint, the TOTP code read from stdin only. */
class ApproveCommandTest {

  private static final String SHA = "a".repeat(40);

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/loops", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldSendTheCheckpointAndTheCodeReadFromStandardInput() {
    int code = run("123456\n", "approve", "loop-abcdefghij", "production_deploy", SHA, "ok", "--totp");

    assertThat(code).isZero();
    assertThat(bodies).singleElement().satisfies(body -> assertThat(body)
        .contains("\"checkpointSha\":\"" + SHA + "\"").contains("\"totp\":\"123456\"")
        .contains("\"comment\":\"ok\""));
  }

  @Test
  void shouldRefuseAnApprovalThatNamesNoCheckpoint() {
    int code = run("", "approve", "loop-abcdefghij", "production_deploy");

    assertThat(code).as("bad usage").isEqualTo(2);
    assertThat(bodies).isEmpty();
  }

  @Test
  void shouldSendNoCodeWithoutTheFlag() {
    run("123456\n", "approve", "loop-abcdefghij", "production_deploy", SHA);

    assertThat(bodies).singleElement().satisfies(body -> assertThat(body).doesNotContain("totp"));
  }

  private void answer(HttpExchange exchange) throws IOException {
    bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    byte[] answer = "{\"state\":\"APPROVED\"}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private int run(String stdin, String... args) {
    Map<String, String> env = Map.of(
        "FORGE_SERVER", "http://127.0.0.1:" + server.getAddress().getPort() + "/",
        "FORGE_TOKEN", "forge_lead-token-for-the-test");
    return ForgeCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
