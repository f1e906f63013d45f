package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.api.security.Endpoint;
import dev.forge.api.security.Endpoints;
import dev.forge.api.identity.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Tokens and roles through real HTTP: every endpoint with every role, tokens created by an admin
 * (confirmed by a second request, shown once, stored hashed), expired, revoked, malformed and
 * missing tokens, and the rule that engineers control only the loops they started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSecurityIT extends ApiSecurityContextIT {

  private static final String LOOP = "loop-0000000000";

  @Autowired JdbcClient jdbc;
  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Value("${spring.datasource.url}") String databaseUrl;

  /** One token per role, each created by the configured admin through the API. */
  private final Map<Role, String> tokens = new LinkedHashMap<>();
  /** Clients that fail on purpose each get an address of their own, so none is locked out. */
  private int failingClients;

  @BeforeAll
  void createOneTokenPerRole() {
    tokens.put(Role.VIEWER, createToken("vera", List.of("viewer"), List.of()));
    tokens.put(Role.ENGINEER, createToken("erin", List.of("engineer"), List.of("engineers")));
    tokens.put(Role.APPROVER, createToken("abby", List.of("approver"), List.of("team-lead")));
    tokens.put(Role.ADMIN, createToken("ada", List.of("admin"), List.of()));
  }

  Stream<Arguments> endpointsAndRoles() {
    List<Arguments> cases = new ArrayList<>();
    for (Endpoint endpoint : Endpoints.ALL) {
      cases.add(Arguments.of(endpoint.method() + " " + endpoint.pattern(), endpoint, null));
      for (Role role : Role.values()) {
        cases.add(Arguments.of(endpoint.method() + " " + endpoint.pattern(), endpoint, role));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} as {2}")
  @MethodSource("endpointsAndRoles")
  void shouldLetEachEndpointBeCalledByItsRolesOnly(String name, Endpoint endpoint, Role role) {
    String path = endpoint.pattern().replace("/**", "/liveness")
        .replace("/api/tokens/*", "/api/tokens/zzzzzzzzzzzz")
        .replace("/gates/*", "/gates/production_deploy")
        .replace("/api/loops/*", "/api/loops/" + LOOP)
        .replace("/api/webhooks/*", "/api/webhooks/nosuchsource");
    long refusalsBefore = refusals();
    RawHttp.Response answer = from("127.0.0.10").send(endpoint.method().name(), path,
        role == null ? null : tokens.get(role), Map.of("Content-Type", "application/json"),
        endpoint.method().name().equals("POST") ? "{}" : null);

    if (endpoint.signed()) {
      // A token counts for nothing here: without a valid signature every caller is refused.
      assertThat(answer.status()).as(answer.body()).isEqualTo(401);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
      assertThat(answer.json().get("detail").asText()).contains("Forge-Signature");
    } else if (endpoint.isPublic()) {
      assertThat(answer.status()).as(answer.body()).isNotIn(401, 403).isLessThan(500);
    } else if (role == null) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(401);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    } else if (endpoint.roles().contains(role)) {
      // Past authorization: the handler answers (an unknown loop or token, a body missing its
      // fields, a confirmation to send) — never a refusal for the role, never a server error.
      assertThat(answer.status()).as(answer.body()).isNotIn(401, 403).isLessThan(500);
      assertThat(refusals()).isEqualTo(refusalsBefore);
    } else {
      assertThat(answer.status()).as(answer.body()).isEqualTo(403);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
      assertThat(answer.json().get("detail").asText())
          .contains(endpoint.what() + " needs the " + endpoint.roleNames() + " role");
      assertThat(refusals()).as("every 403 is an access.denied audit entry").isEqualTo(refusalsBefore + 1);
    }
  }

  @Test
  void shouldListEveryHandlerInTheEndpointTable() {
    Set<String> handled = new HashSet<>();
    mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().forEach(pattern ->
        info.getMethodsCondition().getMethods().forEach(method ->
            handled.add(method + " " + pattern.replaceAll("\\{[^}]+}", "*")))));
    handled.removeIf(h -> h.endsWith(" /error"));
    Set<String> listed = new HashSet<>();
    // The actuator and the Swagger UI's files are served by handlers of their own (ApiDocsIT
    // loads the UI's page).
    Endpoints.ALL.stream().filter(e -> !e.pattern().startsWith("/actuator")
            && !e.pattern().startsWith("/swagger-ui/"))
        .forEach(e -> listed.add(e.method() + " " + e.pattern()));

    assertThat(listed).as("every handler states its role in Endpoints").containsAll(handled);
    assertThat(handled).as("every endpoint in the table has a handler").containsAll(listed);
  }

  @Test
  void shouldShowACreatedTokenOnceAndStoreOnlyItsHash() throws Exception {
    RawHttp admin = from("127.0.0.1");
    String body = json(Map.of("name", "once", "roles", List.of("viewer")));
    RawHttp.Response first = admin.post("/api/tokens", token("admin"), body);
    assertThat(first.status()).isEqualTo(428);
    assertThat(first.header("Content-Type")).startsWith("application/problem+json");
    assertThat(first.json().get("detail").asText()).contains("creating a token for once with roles viewer");
    assertThat(tokenRows("once")).as("nothing is created before the confirmation").isZero();

    RawHttp.Response created = admin.send("POST", "/api/tokens", token("admin"),
        Map.of("Content-Type", "application/json",
            "Forge-Confirmation", first.json().get("confirmation").asText()), body);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).contains("no-store");
    String token = created.json().get("token").asText();
    String id = created.json().get("id").asText();
    assertThat(token).matches("fgt_[a-z0-9]{12}_[A-Za-z0-9_-]{43}").contains(id);
    assertThat(created.json().get("expiresAt").asText()).isNotBlank();
    // stored: the SHA-256 and never the token
    byte[] stored = jdbc.sql("SELECT token_sha256 FROM api_token WHERE id = :id").param("id", id)
        .query(byte[].class).single();
    assertThat(stored).isEqualTo(sha256(token));
    assertThat(jdbc.sql("SELECT count(*) FROM api_token WHERE CAST(token_sha256 AS text) LIKE :t"
        + " OR name LIKE :t OR roles LIKE :t OR groups LIKE :t").param("t", "%" + token.substring(17) + "%")
        .query(Long.class).single()).isZero();
    // never shown again: not in the list, not in the audit log
    RawHttp.Response list = admin.get("/api/tokens?all=true", token("admin"));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains(id).doesNotContain(token.substring(17));
    assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE detail::text LIKE :t OR target LIKE :t")
        .param("t", "%" + token.substring(17) + "%").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'token.created' AND target = :id")
        .param("id", id).query(Long.class).single()).isEqualTo(1);
    // and it works
    RawHttp.Response me = from("127.0.0.11").get("/api/me", token);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("name").asText()).isEqualTo("once");
    assertThat(me.json().get("tokenId").asText()).isEqualTo(id);
    assertThat(me.json().get("roles").toString()).isEqualTo("[\"viewer\"]");
  }

  @Test
  void shouldRefuseAConfirmationForAnotherRequestAnotherTokenOrASecondUse() {
    RawHttp admin = from("127.0.0.1");
    String body = json(Map.of("name", "mallory", "roles", List.of("admin")));
    String confirmation = admin.post("/api/tokens", token("admin"), body).json().get("confirmation").asText();

    // the same id with another body (a different role) is refused, and spent
    RawHttp.Response otherBody = admin.send("POST", "/api/tokens", token("admin"),
        Map.of("Content-Type", "application/json", "Forge-Confirmation", confirmation),
        json(Map.of("name", "mallory", "roles", List.of("approver"))));
    RawHttp.Response sameBodyAfter = admin.send("POST", "/api/tokens", token("admin"),
        Map.of("Content-Type", "application/json", "Forge-Confirmation", confirmation), body);
    // another admin cannot confirm what this one asked for
    String second = admin.post("/api/tokens", token("admin"), body).json().get("confirmation").asText();
    RawHttp.Response otherAdmin = admin.send("POST", "/api/tokens", tokens.get(Role.ADMIN),
        Map.of("Content-Type", "application/json", "Forge-Confirmation", second), body);

    for (RawHttp.Response refused : List.of(otherBody, sameBodyAfter, otherAdmin)) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(400);
      assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("Forge-Confirmation");
      assertThat(refused.json().get("errors").get(0).get("rule").asText()).isEqualTo("confirmation");
    }
    assertThat(tokenRows("mallory")).isZero();
  }

  @Test
  void shouldRefuseAnExpiredConfirmation() throws InterruptedException {
    RawHttp admin = from("127.0.0.1");
    String body = json(Map.of("name", "late", "roles", List.of("viewer")));
    JsonNode asked = admin.post("/api/tokens", token("admin"), body).json();

    Thread.sleep(Duration.ofSeconds(6).toMillis()); // forge.api.admin.confirmation-ttl=5s here
    RawHttp.Response late = admin.send("POST", "/api/tokens", token("admin"),
        Map.of("Content-Type", "application/json", "Forge-Confirmation", asked.get("confirmation").asText()),
        body);

    assertThat(late.status()).isEqualTo(400);
    assertThat(late.json().get("errors").get(0).get("rule").asText()).isEqualTo("confirmation");
    assertThat(tokenRows("late")).isZero();
  }

  static Stream<Arguments> badTokenRequests() {
    return Stream.of(
        Arguments.of(Map.of("roles", List.of("viewer")), "name", "required"),
        Arguments.of(Map.of("name", "a b", "roles", List.of("viewer")), "name", "format"),
        Arguments.of(Map.of("name", "x", "roles", List.of("root")), "roles[0]", "unsupported"),
        Arguments.of(Map.of("name", "x", "roles", List.of()), "roles", "type"),
        Arguments.of(Map.of("name", "x", "roles", List.of("viewer", "viewer")), "roles[1]", "duplicate"),
        Arguments.of(Map.of("name", "x", "roles", List.of("viewer"), "groups", List.of("a,b")),
            "groups[0]", "format"),
        Arguments.of(Map.of("name", "x", "roles", List.of("viewer"), "expiresIn", "forever"),
            "expiresIn", "format"),
        Arguments.of(Map.of("name", "x", "roles", List.of("viewer"), "expiresIn", "366d"),
            "expiresIn", "range"),
        Arguments.of(Map.of("name", "x", "roles", List.of("viewer"), "expiresIn", "1m"),
            "expiresIn", "range"),
        Arguments.of(Map.of("name", "x", "roles", List.of("viewer"), "tokenSha256", "00"),
            "tokenSha256", "unknown"));
  }

  @ParameterizedTest
  @MethodSource("badTokenRequests")
  void shouldRefuseBadTokenRequestsNamingTheFieldBeforeAskingForConfirmation(
      Map<String, Object> body, String field, String rule) {
    RawHttp.Response answer = from("127.0.0.1").post("/api/tokens", tokens.get(Role.ADMIN), json(body));

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("errors")).anySatisfy(e -> {
      assertThat(e.get("field").asText()).isEqualTo(field);
      assertThat(e.get("rule").asText()).isEqualTo(rule);
      assertThat(e.get("message").asText()).isNotBlank();
    });
  }

  @Test
  void shouldRefuseARevokedTokenFromTheMomentItIsRevoked() {
    String token = createToken("rex", List.of("engineer"), List.of());
    String id = token.substring(4, 16);
    RawHttp client = from("127.0.0.12");
    assertThat(client.get("/api/loops", token).status()).isEqualTo(200);

    RawHttp admin = from("127.0.0.1");
    RawHttp.Response first = admin.post("/api/tokens/" + id + "/revoke", tokens.get(Role.ADMIN), "");
    assertThat(first.status()).as(first.body()).isEqualTo(428);
    assertThat(client.get("/api/loops", token).status()).as("not revoked before the confirmation")
        .isEqualTo(200);
    RawHttp.Response revoked = admin.send("POST", "/api/tokens/" + id + "/revoke", tokens.get(Role.ADMIN),
        Map.of("Forge-Confirmation", first.json().get("confirmation").asText()), "");
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
    assertThat(revoked.json().get("revokedBy").asText()).isEqualTo("ada");

    RawHttp.Response refused = client.get("/api/loops", token);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().get("detail").asText()).contains("revoked");
    assertThat(admin.post("/api/tokens/" + id + "/revoke", tokens.get(Role.ADMIN), "").status())
        .as("revoked already").isEqualTo(409);
    assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'token.revoked' AND target = :id")
        .param("id", id).query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnExpiredToken() throws Exception {
    String token = "fgt_expiredtok01_" + "A".repeat(43);
    // As the owner: the application role can neither backdate a token nor shorten its life.
    try (Connection owner = DriverManager.getConnection(databaseUrl, "postgres", "");
        PreparedStatement insert = owner.prepareStatement("INSERT INTO api_token"
            + " (id, token_sha256, name, roles, created_at, created_by, expires_at)"
            + " VALUES ('expiredtok01', ?, 'old', 'engineer', now() - interval '2 days', 'admin',"
            + " now() - interval '1 day') ON CONFLICT (id) DO NOTHING")) {
      insert.setBytes(1, sha256(token));
      insert.executeUpdate();
    }

    RawHttp.Response answer = from("127.0.0.13").get("/api/loops", token);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(answer.json().get("detail").asText()).contains("expired");
  }

  static Stream<Arguments> badCredentials() {
    return Stream.of(
        Arguments.of("no header", null, "needs 'Authorization: Bearer <token>'"),
        Arguments.of("basic auth", "Basic ZGV2OmRldg==", "must be 'Bearer <token>'"),
        Arguments.of("bearer without token", "Bearer ", "must be 'Bearer <token>'"),
        Arguments.of("oversized token", "Bearer " + "x".repeat(600), "must be 'Bearer <token>'"),
        Arguments.of("unknown token", "Bearer forge_not-a-real-token", "not valid"),
        Arguments.of("token shape, unknown id", "Bearer fgt_aaaaaaaaaaaa_" + "B".repeat(43), "not valid"),
        Arguments.of("a hash instead of a token", "Bearer " + "0".repeat(64), "not valid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCredentials")
  void shouldRefuseMissingAndMalformedTokensWith401Problems(String why, String authorization, String detail) {
    RawHttp.Response answer = from("127.0.1." + ++failingClients).send("GET", "/api/loops", null,
        authorization == null ? Map.of() : Map.of("Authorization", authorization), null);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("detail").asText()).contains(detail);
    assertThat(answer.body()).doesNotContain("x".repeat(20));
  }

  @Test
  void shouldLetEngineersControlOnlyTheLoopsTheyStarted() throws Exception {
    String owen = createToken("owen", List.of("engineer"), List.of("engineers"));
    RawHttp client = from("127.0.0.15");
    java.nio.file.Path repo = newRepository();
    Map<String, Object> config = withNoChecks(inlineConfig(List.of("sleep", "120"), List.of()));
    RawHttp.Response started = client.post("/api/loops", owen,
        json(Map.of("repository", repo.toString(), "goal", "wait", "config", config)));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();

    for (String action : List.of("cancel", "pause", "resume")) {
      RawHttp.Response refused = client.post("/api/loops/" + loopId + "/" + action,
          tokens.get(Role.ENGINEER), "{}");
      assertThat(refused.status()).as(action + ": " + refused.body()).isEqualTo(403);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.json().get("detail").asText())
          .contains("only the engineer who started loop " + loopId + " (owen) or an approver may " + action);
    }
    RawHttp.Response approverPauses = client.post("/api/loops/" + loopId + "/pause",
        tokens.get(Role.APPROVER), "{}");
    assertThat(approverPauses.status()).as(approverPauses.body()).isEqualTo(202);
    RawHttp.Response ownerCancels = client.post("/api/loops/" + loopId + "/cancel", owen, "{}");
    assertThat(ownerCancels.status()).as(ownerCancels.body()).isEqualTo(202);
    String state = "";
    for (int i = 0; i < 50 && !state.equals("CANCELLED"); i++) {
      Thread.sleep(1000);
      state = client.get("/api/loops/" + loopId, owen).json().path("state").asText();
    }
    assertThat(state).isEqualTo("CANCELLED");
  }

  private long refusals() {
    return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'access.denied'").query(Long.class).single();
  }

  private long tokenRows(String name) {
    return jdbc.sql("SELECT count(*) FROM api_token WHERE name = :n").param("n", name).query(Long.class).single();
  }

  private static byte[] sha256(String token) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
  }
}
