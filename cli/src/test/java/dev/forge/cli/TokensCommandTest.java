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

/**
 * The CLI's side of an admin action, against a stand-in server that answers as Forge does (428
 * with a confirmation, then the result). The server's side is tested through real HTTP by the
 * app's {@code ApiSecurityIT}.
 */
class TokensCommandTest {

  private static final String ADMIN_TOKEN = "forge_admin-token-for-the-test";
  private static final String CREATED = "fgt_abcdefghij12_" + "S".repeat(43);

  private HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private int firstStatus = 428;

  record Seen(String method, String path, String authorization, String confirmation, String body) {}

  @BeforeEach
  void startStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/tokens", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldShowTheActionAskAndPrintOnlyTheTokenOnStandardOutput() {
    Result result = run("y\n", "tokens", "create", "alice", "--role", "engineer", "--group", "team-a",
        "--expires-in", "7d");

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo(CREATED + "\n");
    assertThat(result.err()).contains("Forge will be creating a token for alice. Confirm? [y/N]")
        .doesNotContain(CREATED).doesNotContain(ADMIN_TOKEN);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).confirmation()).isNull();
    assertThat(seen.get(1).confirmation()).isEqualTo("confirm-1");
    assertThat(seen).allSatisfy(s -> {
      assertThat(s.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
      assertThat(s.body()).isEqualTo(
          "{\"expiresIn\":\"7d\",\"name\":\"alice\",\"roles\":[\"engineer\"],\"groups\":[\"team-a\"]}");
    });
  }

  @Test
  void shouldChangeNothingWhenTheUserDoesNotConfirm() {
    for (String answer : List.of("n\n", "\n", "")) {
      seen.clear();
      Result result = run(answer, "tokens", "create", "alice", "--role", "viewer");

      assertThat(result.code()).isEqualTo(1);
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).contains("not confirmed; nothing was changed");
      assertThat(seen).hasSize(1);
    }
  }

  @Test
  void shouldConfirmWithoutAskingGivenYes() {
    Result result = run("", "tokens", "revoke", "abcdefghij12", "--yes");

    assertThat(result.code()).isZero();
    assertThat(result.err()).doesNotContain("Confirm?").contains("revoked token abcdefghij12 of alice");
    assertThat(seen).extracting(Seen::path).containsExactly(
        "/api/tokens/abcdefghij12/revoke", "/api/tokens/abcdefghij12/revoke");
    assertThat(seen.get(1).confirmation()).isEqualTo("confirm-1");
  }

  @Test
  void shouldReportARefusalAndSendNothingMore() {
    firstStatus = 403;

    Result result = run("y\n", "tokens", "create", "alice", "--role", "admin");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("HTTP 403: creating a token needs the admin role");
    assertThat(seen).hasSize(1);
  }

  @Test
  void shouldRefuseACommandLineWithoutAName() {
    Result result = run("", "tokens", "create", "--role", "admin");

    assertThat(result.code()).as("bad usage").isEqualTo(2);
    assertThat(result.err()).contains("missing the name");
    assertThat(seen).isEmpty();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String confirmation = exchange.getRequestHeaders().getFirst("Forge-Confirmation");
    String path = exchange.getRequestURI().getPath();
    seen.add(new Seen(exchange.getRequestMethod(), path,
        exchange.getRequestHeaders().getFirst("Authorization"), confirmation, body));
    int status;
    String answer;
    if (confirmation == null && firstStatus == 428) {
      status = 428;
      answer = "{\"status\":428,\"confirmation\":\"confirm-1\",\"action\":\""
          + (path.endsWith("/revoke") ? "revoking token abcdefghij12 of alice" : "creating a token for alice")
          + "\",\"expiresAt\":\"2026-11-01T10:02:00Z\"}";
    } else if (confirmation == null) {
      status = firstStatus;
      answer = "{\"status\":403,\"detail\":\"creating a token needs the admin role, which your token does not have\"}";
    } else if (path.endsWith("/revoke")) {
      status = 200;
      answer = "{\"id\":\"abcdefghij12\",\"name\":\"alice\",\"state\":\"revoked\"}";
    } else {
      status = 201;
      answer = "{\"token\":\"" + CREATED + "\",\"id\":\"abcdefghij12\",\"name\":\"alice\","
          + "\"roles\":[\"engineer\"],\"expiresAt\":\"2026-11-08T10:00:00Z\"}";
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  record Result(int code, String out, String err) {}

  private Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of(
        "FORGE_SERVER", "http://127.0.0.1:" + server.getAddress().getPort() + "/",
        "FORGE_TOKEN", ADMIN_TOKEN);
    int code = ForgeCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
