package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Requests that mean different things to different readers are refused: a JSON body naming a key
 * twice (which value counts depends on the parser), and two Authorization headers (which token
 * counts depends on who reads the request: a proxy may take the last, Forge the first).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AmbiguousRequestIT extends ApiSecurityContextIT {

  @Autowired JdbcClient jdbc;

  static Stream<Arguments> duplicatedKeys() {
    return Stream.of(
        Arguments.of("start a loop", "dev", "/api/loops",
            "{\"repository\": \"/nowhere\", \"goal\": \"a\", \"goal\": \"b\"}", "goal"),
        Arguments.of("start a loop, in its config", "dev", "/api/loops",
            "{\"repository\": \"/nowhere\", \"goal\": \"a\", \"config\": {\"version\": 1,"
                + " \"loop\": {\"max_iterations\": 1, \"max_iterations\": 500}}}",
            "config.loop.max_iterations"),
        Arguments.of("create a token", "admin", "/api/tokens",
            "{\"name\": \"eve\", \"roles\": [\"viewer\"], \"roles\": [\"admin\"]}", "roles"),
        Arguments.of("approve a gate", "lead", "/api/loops/loop-nosuchloop0/gates/deploy/approve",
            "{\"checkpointSha\": \"" + "a".repeat(40) + "\", \"comment\": \"ok\", \"comment\": \"x\"}",
            "comment"),
        Arguments.of("raise a cost cap", "lead", "/api/loops/loop-nosuchloop0/cost-cap",
            "{\"costCapUsd\": 1, \"costCapUsd\": 1000}", "costCapUsd"),
        Arguments.of("in an array", "dev", "/api/loops",
            "{\"repository\": \"/nowhere\", \"goal\": \"a\", \"config\": {\"loop\": {\"checks\":"
                + " [[\"true\"], {\"a\": 1, \"a\": 2}]}}}", "config.loop.checks[1].a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("duplicatedKeys")
  void shouldRefuseAJsonBodyThatNamesAKeyTwice(String why, String user, String path, String body,
      String field) {
    // given
    long auditRows = auditRows();

    // when
    RawHttp.Response answer = from("127.0.0.90").post(path, token(user), body);

    // then a 400 problem names the duplicated key and the rule, in Forge's words only
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    JsonNode error = answer.json().get("errors").get(0);
    assertThat(error.get("field").asText()).isEqualTo(field);
    assertThat(error.get("rule").asText()).isEqualTo("duplicate");
    assertThat(answer.body()).doesNotContain("Duplicate Object property").doesNotContainIgnoringCase("jackson");
    assertThat(INTERNALS).noneMatch(internal -> answer.body().contains(internal));
    assertThat(auditRows()).as("nothing changed").isEqualTo(auditRows);
  }

  @Test
  void shouldRefuseTwoAuthorizationHeadersEvenIfBothAreValid() {
    // when
    RawHttp.Response twice = twoAuthorizations("127.0.0.91", token("dev"), token("admin"));

    // then
    assertThat(twice.status()).isEqualTo(401);
    assertThat(twice.header("Content-Type")).startsWith("application/problem+json");
    assertThat(twice.json().get("detail").asText()).contains("exactly one Authorization header");
    assertThat(from("127.0.0.91").get("/api/me", token("dev")).status())
        .as("one header from the same address").isEqualTo(200);
  }

  @Test
  void shouldCountTwoAuthorizationHeadersTowardsTheLockoutAsAMalformedTokenCounts() {
    // given five requests with a valid token and a guess in a second header (the lockout is 5)
    for (int i = 0; i < 5; i++) {
      assertThat(twoAuthorizations("127.0.0.92", token("dev"), "forge_guess-" + i).status()).isEqualTo(401);
    }

    // when the valid token alone is sent
    RawHttp.Response alone = from("127.0.0.92").get("/api/me", token("dev"));

    // then the address is locked out, as after five malformed tokens
    assertThat(alone.status()).isEqualTo(429);
    assertThat(alone.json().get("detail").asText()).contains("locked out");
  }

  private RawHttp.Response twoAuthorizations(String from, String first, String second) {
    byte[] head = ("GET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
        + first + "\r\nAuthorization: Bearer " + second + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    return from(from).exchange(head, new byte[0]);
  }

  private long auditRows() {
    return jdbc.sql("SELECT count(*) FROM audit_log").query(Long.class).single();
  }
}
