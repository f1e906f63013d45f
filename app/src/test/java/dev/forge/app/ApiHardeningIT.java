package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Attacks on the API's edges through real HTTP: floods (per address, per token), guessing tokens
 * (lockout), forged forwarding headers, oversized bodies and headers, requests built to make a
 * server talk about itself; and the headers every answer carries. Limits in this context: 200
 * requests per address and 60 per token a minute, lockout after 5 failures for a minute.
 */
class ApiHardeningIT extends ApiSecurityContextIT {

  @Autowired JdbcClient jdbc;

  @Test
  void shouldAnswer429WithRetryAfterOnceAnAddressSpendsItsRequests() {
    RawHttp flooder = from("127.0.0.30");
    int passed = 0;
    RawHttp.Response limited = flooder.get("/api/loops", null);
    while (limited.status() == 401 && passed < 400) {
      passed++;
      limited = flooder.get("/api/loops", null);
    }

    // 200 at once, plus the few the bucket refilled (3.3 a second) while they were sent
    assertThat(passed).isBetween(200, 240);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.json().get("detail").asText()).contains("too many requests from your address");
    assertThat(from("127.0.0.31").get("/api/loops", token("dev")).status())
        .as("another address has its own limit").isEqualTo(200);
  }

  @Test
  void shouldAnswer429WithRetryAfterOnceATokenSpendsItsRequests() {
    String rita = createToken("rita", List.of("viewer"), List.of());
    String other = createToken("otto", List.of("viewer"), List.of());
    int passed = 0;
    RawHttp.Response limited = from("127.0.0.32").get("/api/me", rita);
    while (limited.status() == 200 && passed < 120) {
      passed++;
      limited = from("127.0.0.32").get("/api/me", rita);
    }

    // 60 at once, plus the few the bucket refilled (one a second) while they were sent
    assertThat(passed).isBetween(60, 70);
    RawHttp.Response elsewhere = from("127.0.0.33").get("/api/me", rita);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.json().get("detail").asText()).contains("too many requests with this token");
    assertThat(elsewhere.status()).as("the limit follows the token to any address").isEqualTo(429);
    assertThat(from("127.0.0.32").get("/api/me", other).status())
        .as("another token from the same address").isEqualTo(200);
  }

  @Test
  void shouldLockOutAnAddressAfterRepeatedAuthenticationFailures() {
    RawHttp guesser = from("127.0.0.40");
    for (int i = 0; i < 5; i++) {
      assertThat(guesser.get("/api/loops", "forge_guess-" + i).status()).isEqualTo(401);
    }

    RawHttp.Response withValidToken = guesser.get("/api/loops", token("dev"));
    RawHttp.Response health = guesser.get("/actuator/health", null);

    assertThat(withValidToken.status()).as("locked out, even with a valid token").isEqualTo(429);
    assertThat(Long.parseLong(withValidToken.header("Retry-After"))).isBetween(50L, 60L);
    assertThat(withValidToken.json().get("detail").asText()).contains("locked out");
    assertThat(health.status()).isEqualTo(429);
    assertThat(from("127.0.0.41").get("/api/loops", token("dev")).status())
        .as("other addresses are not affected").isEqualTo(200);
    assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'auth.locked_out' AND target = '127.0.0.40'")
        .query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void shouldNotLetAClientPickItsAddressWithForwardingHeaders() {
    RawHttp guesser = from("127.0.0.42");
    for (int i = 0; i < 5; i++) {
      RawHttp.Response guess = guesser.send("GET", "/api/loops", "forge_guess-" + i,
          Map.of("X-Forwarded-For", "198.51.100." + i), null);
      assertThat(guess.status()).isEqualTo(401);
    }

    assertThat(guesser.send("GET", "/api/loops", token("dev"),
        Map.of("X-Forwarded-For", "198.51.100.99"), null).status()).isEqualTo(429);
  }

  @Test
  void shouldLockOutTheClientBehindTheTrustedProxyNotTheProxy() {
    RawHttp proxy = from("127.0.0.1");
    for (int i = 0; i < 5; i++) {
      assertThat(proxy.send("GET", "/api/loops", "forge_guess-" + i,
          Map.of("X-Forwarded-For", "203.0.113.7"), null).status()).isEqualTo(401);
    }

    assertThat(proxy.send("GET", "/api/loops", token("dev"),
        Map.of("X-Forwarded-For", "203.0.113.7"), null).status()).isEqualTo(429);
    assertThat(proxy.send("GET", "/api/loops", token("dev"),
        Map.of("X-Forwarded-For", "203.0.113.8"), null).status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseABodyThatDeclaresMoreThanTheLimitWith413BeforeReadingIt() {
    long auditRows = auditRows();
    byte[] head = ("POST /api/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Authorization: Bearer " + token("dev") + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: 5000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    RawHttp.Response answer = from("127.0.0.50").exchange(head, "{\"repository\": \"".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("errors").get(0).get("field").asText()).isEqualTo("body");
    assertThat(answer.json().get("errors").get(0).get("rule").asText()).isEqualTo("max_size");
    assertThat(answer.json().get("errors").get(0).get("message").asText()).contains("1048576 bytes");
    assertThat(auditRows()).isEqualTo(auditRows);
  }

  @Test
  void shouldRefuseAChunkedBodyThatGrowsPastTheLimitWith413() {
    long auditRows = auditRows();
    String goal = "x".repeat(1_500_000);
    byte[] json = ("{\"repository\": \"/nowhere\", \"goal\": \"" + goal + "\"}").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    for (int at = 0; at < json.length; at += 65_536) {
      int n = Math.min(65_536, json.length - at);
      chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(json, at, n);
      chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] head = ("POST /api/loops HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Authorization: Bearer " + token("dev") + "\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    RawHttp.Response answer = from("127.0.0.51").exchange(head, chunked.toByteArray());

    assertThat(answer.status()).as(answer.body()).isEqualTo(413);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("errors").get(0).get("rule").asText()).isEqualTo("max_size");
    assertThat(answer.body()).doesNotContain("xxxxxxxx");
    assertThat(auditRows()).isEqualTo(auditRows);
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of("health", "GET", "/actuator/health", null, 200),
        Arguments.of("no token", "GET", "/api/loops", null, 401),
        Arguments.of("wrong role", "POST", "/api/tokens", "dev", 403),
        Arguments.of("unknown loop", "GET", "/api/loops/loop-0000000000", "dev", 404),
        Arguments.of("bad query", "GET", "/api/loops?limit=0", "dev", 400),
        Arguments.of("listing", "GET", "/api/loops", "lead", 200));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void shouldSendSecurityHeadersWithEveryAnswer(String why, String method, String path, String user,
      int status) {
    RawHttp.Response answer = from("127.0.0.60").send(method, path, user == null ? null : token(user),
        Map.of("Content-Type", "application/json"), method.equals("POST") ? "{}" : null);

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(answer.header("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(answer.header("Cache-Control")).contains("no-store");
    assertThat(answer.header("Strict-Transport-Security")).as("never over plain HTTP").isNull();
    assertThat(answer.header("Server")).isNull();
  }

  @Test
  void shouldSendHstsOnlyWhenTheTrustedProxyForwardsTls() {
    RawHttp.Response viaProxy = from("127.0.0.1").send("GET", "/actuator/health", null,
        Map.of("X-Forwarded-Proto", "https"), null);
    RawHttp.Response forged = from("127.0.0.61").send("GET", "/actuator/health", null,
        Map.of("X-Forwarded-Proto", "https"), null);

    assertThat(viaProxy.header("Strict-Transport-Security")).isEqualTo("max-age=31536000 ; includeSubDomains");
    assertThat(forged.header("Strict-Transport-Security")).as("X-Forwarded-Proto from a client").isNull();
  }

  @Test
  void shouldKeepHealthPublicAndEveryOtherActuatorEndpointClosed() {
    RawHttp client = from("127.0.0.62");
    RawHttp.Response health = client.get("/actuator/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");
    assertThat(health.body()).doesNotContain("components").doesNotContain("details");
    for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/heapdump",
        "/actuator/metrics", "/actuator/mappings", "/actuator/configprops", "/actuator/loggers",
        "/api", "/api/unknown", "/")) {
      assertThat(client.get(path, null).status()).as(path).isEqualTo(401);
      RawHttp.Response asAdmin = client.get(path, token("admin"));
      assertThat(asAdmin.status()).as(path).isEqualTo(403);
      assertThat(asAdmin.json().get("detail").asText()).contains("no API token may call GET " + path);
    }
  }

  static Stream<Arguments> oddRequests() {
    String token = "Authorization: Bearer TOKEN\r\n";
    return Stream.of(
        Arguments.of("TRACE", false, "TRACE /api/loops HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"),
        Arguments.of("PUT", true, "PUT /api/loops HTTP/1.1\r\nHost: x\r\n" + token + "Content-Length: 2\r\n\r\n{}"),
        Arguments.of("bad percent-encoding", false, "GET /api/loops/%ZZ HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"),
        Arguments.of("path parameter traversal", true, "GET /api/loops/..;/tokens HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"),
        Arguments.of("encoded slash", false, "GET /api/loops/a%2F..%2Ftokens HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"),
        Arguments.of("oversized header", false, "GET /api/loops HTTP/1.1\r\nHost: x\r\nX-Big: "
            + "a".repeat(20_000) + "\r\n" + token + "\r\n"),
        Arguments.of("oversized request line", false, "GET /api/loops?" + "a=1&".repeat(5_000)
            + " HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"),
        Arguments.of("not HTTP", false, "HELLO THERE\r\n\r\n"),
        Arguments.of("invalid JSON", true, "POST /api/loops HTTP/1.1\r\nHost: x\r\n" + token
            + "Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"a\": [}"),
        Arguments.of("wrong media type", true, "POST /api/loops HTTP/1.1\r\nHost: x\r\n" + token
            + "Content-Type: text/xml\r\nContent-Length: 4\r\n\r\n<a/>"),
        Arguments.of("JSON of the wrong shape", true, "POST /api/loops HTTP/1.1\r\nHost: x\r\n" + token
            + "Content-Type: application/json\r\nContent-Length: 9\r\n\r\n[1, 2, 3]"),
        Arguments.of("deep JSON", true, "POST /api/loops HTTP/1.1\r\nHost: x\r\n" + token
            + "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
            + "[".repeat(2000) + "]".repeat(2000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddRequests")
  void shouldNeverAnswerWithAStackTraceOrInternalNames(String why, boolean forgeAnswers, String request) {
    String withToken = request.replace("TOKEN", token("dev"));
    String head = withToken.contains("\r\n\r\n")
        ? withToken.substring(0, withToken.indexOf("\r\n\r\n")) + "\r\nConnection: close\r\n\r\n" : withToken;
    String body = withToken.substring(withToken.indexOf("\r\n\r\n") + 4);

    RawHttp.Response answer = from("127.0.0.63").exchange(
        (head.startsWith("HELLO") ? withToken : head).getBytes(StandardCharsets.ISO_8859_1),
        head.startsWith("HELLO") ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1));

    if (answer.status() != -1) { // -1: an answer without a status line, to what is not HTTP/1.x
      assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
    }
    assertThat(answer.body()).isNotBlank();
    if (forgeAnswers) { // the rest are refused by the HTTP parser before they reach Forge
      assertThat(answer.header("Content-Type")).as(answer.body()).startsWith("application/problem+json");
    }
    assertThat(INTERNALS).noneMatch(internal -> answer.body().contains(internal));
    assertThat(answer.headers().toString()).doesNotContainIgnoringCase("tomcat");
  }

  private long auditRows() {
    return jdbc.sql("SELECT count(*) FROM audit_log").query(Long.class).single();
  }
}
