package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The answers the outside attack found without Forge's headers: requests refused by the firewall,
 * by Tomcat's URI and method checks, and by its HTTP parser before any servlet runs. Each is sent
 * raw and must come back with the same security headers as a normal API answer, and with Forge's
 * problem body or none — never Tomcat's HTML page, a stack trace or a server name.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EdgeHeadersIT extends ApiSecurityContextIT {

  static Stream<Arguments> refusedRequests() {
    String token = "Authorization: Bearer TOKEN\r\n";
    return Stream.of(
        Arguments.of("double slash path", "GET //api/loops HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("double slash inside the path", "GET /api//loops HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("TRACE", "TRACE /api/loops HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("TRACE without a token", "TRACE / HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("unknown method", "FROB /api/loops HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("unknown method without a token", "FROB /api/loops HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("bad percent-encoding", "GET /api/loops/%ZZ HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("truncated percent-encoding", "GET /api/loops/% HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("encoded NUL", "GET /api/loops/%00 HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("encoded slash", "GET /api/loops/a%2F..%2Ftokens HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("path parameter traversal", "GET /api/loops/..;/tokens HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("dot segments above the root", "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("backslash", "GET /api\\loops HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("64 KiB header", "GET /api/loops HTTP/1.1\r\nHost: x\r\nX-Big: "
            + "a".repeat(65_536) + "\r\n" + token),
        Arguments.of("oversized request line", "GET /api/loops?" + "a=1&".repeat(5_000)
            + " HTTP/1.1\r\nHost: x\r\n" + token),
        Arguments.of("CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n"),
        Arguments.of("HTTP/9.9", "GET /api/loops HTTP/9.9\r\nHost: x\r\n" + token),
        Arguments.of("HTTP/2.0 on the HTTP/1.1 port", "GET /api/loops HTTP/2.0\r\nHost: x\r\n"),
        Arguments.of("request line of garbage", "\u0001\u0002\u0003 \u007f HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("control character in the path", "GET /api/\u0007loops HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("missing Host", "GET /api/loops HTTP/1.1\r\n" + token),
        Arguments.of("two Host headers", "GET /api/loops HTTP/1.1\r\nHost: x\r\nHost: y\r\n" + token),
        Arguments.of("header without a colon", "GET /api/loops HTTP/1.1\r\nHost: x\r\nnot a header\r\n"),
        Arguments.of("unknown transfer encoding", "POST /api/loops HTTP/1.1\r\nHost: x\r\n" + token
            + "Transfer-Encoding: gzip\r\n"),
        Arguments.of("unknown path", "GET /no/such/path HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("GET /error without a token", "GET /error HTTP/1.1\r\nHost: x\r\n"),
        Arguments.of("POST /error with a token", "POST /error HTTP/1.1\r\nHost: x\r\n" + token
            + "Content-Length: 0\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedRequests")
  void shouldSendSecurityHeadersAndAProblemOrNothingOnEveryRefusal(String attack, String head) {
    // given a request as the attack sent it, raw
    byte[] request = (head.replace("TOKEN", token("dev")) + "Connection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);

    // when
    RawHttp.Response answer = from("127.0.0.70").exchange(request, new byte[0]);

    // then
    System.out.printf("edge: %-32s %d %s %s%n", attack, answer.status(), answer.headers(),
        answer.body().length() > 200 ? answer.body().substring(0, 200) : answer.body());
    assertThat(answer.status()).as(attack).isBetween(400, 505);
    assertThat(answer.status()).as("never a failure of Forge's own").isNotEqualTo(500);
    assertThat(answer.header("Content-Security-Policy")).as(attack)
        .isEqualTo("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    assertThat(answer.header("X-Content-Type-Options")).as(attack).isEqualTo("nosniff");
    assertThat(answer.header("X-Frame-Options")).as(attack).isEqualTo("DENY");
    assertThat(answer.header("Referrer-Policy")).as(attack).isEqualTo("no-referrer");
    assertThat(answer.header("Cache-Control")).as(attack).contains("no-store");
    assertThat(answer.header("Strict-Transport-Security")).as("never over plain HTTP").isNull();
    assertThat(answer.header("Server")).isNull();
    if (!answer.body().isEmpty()) {
      assertThat(answer.header("Content-Type")).as(attack).startsWith("application/problem+json");
      assertThat(answer.json().get("status").asInt()).isEqualTo(answer.status());
    }
    assertThat(answer.body()).doesNotContainIgnoringCase("<html");
    assertThat(INTERNALS).noneMatch(internal -> answer.body().contains(internal));
    assertThat(answer.headers().toString()).doesNotContainIgnoringCase("tomcat");
  }

  @Test
  void shouldAnswerGetErrorWithoutATokenAsAnUnknownPath() {
    RawHttp.Response answer = from("127.0.0.71").get("/error", null);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("detail").asText()).isEqualTo("no such endpoint");
  }

  @Test
  void shouldKeepTheSwaggerUiPolicyOnItsPagesOnly() {
    RawHttp.Response page = from("127.0.0.72").get("/swagger-ui/index.html", token("dev"));

    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
  }
}
