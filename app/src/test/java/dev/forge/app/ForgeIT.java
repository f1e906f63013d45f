package dev.forge.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole application over real HTTP: the embedded Temporal test server (real clock, random
 * port), an embedded PostgreSQL, the real Docker engine with the sandbox images, real git.
 */
@SpringBootTest(
    classes = ForgeApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "forge.data-dir=${user.dir}/target/it-data",
      "forge.embedded.temporal-port=0",
      "forge.embedded.ephemeral=true",
      "forge.worker.heartbeat-interval=1s",
      // Every test class here calls from 127.0.0.1, some with bad tokens on purpose; the lockout
      // itself is tested by ApiHardeningIT, in a context of its own.
      "forge.api.lockout.max-failures=1000",
      // The operator's policy of this context (OperatorPolicyIT runs a strict one of its own):
      // LoopEndToEndIT's credential for dev only, RestrictedLoopIT's upstream, limits below the
      // forge.yml maxima, and quotas no test here reaches (the loops of many tests stay open).
      "forge.policy.env-grants[0].env[0]=E2E_API_KEY",
      "forge.policy.env-grants[0].users[0]=dev",
      "forge.policy.destinations[0]=*.forge.test:8080",
      "forge.policy.limits.memory=8GB",
      "forge.policy.limits.max-iterations=500",
      "forge.policy.quotas.loops-per-user=1000",
      "forge.policy.quotas.loops-total=1000",
      "forge.policy.quotas.disk-overcommit=50",
      // Every ForgeHttp has an HttpClient of its own, which keeps its connection open when done:
      // a test class holds many idle connections from 127.0.0.1. SlowClientIT tests the limit.
      "forge.api.http.max-connections-per-address=1000"
    })
abstract class ForgeIT {

  static final Path DATA = Path.of("target/it-data").toAbsolutePath();
  static final String DEMO_IMAGE = "forge/demo-agent:0.1.0-bookworm";

  @LocalServerPort int port;

  ForgeHttp as(String user) {
    return new ForgeHttp(URI.create("http://127.0.0.1:" + port), token(user));
  }

  static String token(String user) {
    try {
      return Files.readString(DATA.resolve("secrets").resolve(user + ".token")).strip();
    } catch (IOException e) {
      throw new AssertionError("no token for " + user, e);
    }
  }

  /**
   * The body of an approval of the loop's pending gate: the checkpoint it waits on (read from the
   * loop's status, as an approver reviewing it would), the comment, and any further fields.
   */
  Map<String, Object> approval(String loopId, String comment, Object... more) {
    com.fasterxml.jackson.databind.JsonNode status = as("lead").get("/api/loops/" + loopId).json();
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("checkpointSha", status.get("pendingGate").get("checkpointSha").asText());
    body.put("comment", comment);
    for (int i = 0; i < more.length; i += 2) {
      body.put((String) more[i], more[i + 1]);
    }
    return body;
  }

  /**
   * An approval of the loop's pending gate by {@code user}: {@link #approval} plus, where the gate
   * needs step-up, a TOTP code: the user is enrolled afresh by the admin (so no earlier code of
   * theirs is in the way) and the code computed from the secret the enrolment shows once.
   */
  Map<String, Object> approvalBy(String user, String loopId, String comment) {
    Map<String, Object> body = approval(loopId, comment);
    if (as("lead").get("/api/loops/" + loopId).json().get("pendingGate").path("stepUp").asBoolean()) {
      body.put("totp", totpCode(enrolTotp(user), 0));
    }
    return body;
  }

  /** Enrols {@code user} for TOTP as the bootstrap admin; returns the base32 secret. */
  String enrolTotp(String user) {
    ForgeHttp.Answer enrolled = as("admin").postConfirmed("/api/totp/enrolments", Map.of("user", user));
    if (enrolled.status() != 201) {
      throw new AssertionError("enrolling " + user + ": " + enrolled.body());
    }
    return enrolled.json().get("secret").asText();
  }

  /** The TOTP code of {@code secret} for the current 30-second step plus {@code stepOffset}. */
  static String totpCode(String secret, int stepOffset) {
    try {
      com.eatthepath.otp.TimeBasedOneTimePasswordGenerator totp =
          new com.eatthepath.otp.TimeBasedOneTimePasswordGenerator();
      javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(
          dev.forge.api.stepup.Base32.decode(secret), totp.getAlgorithm());
      return String.format("%06d", totp.generateOneTimePassword(key,
          java.time.Instant.now().plus(totp.getTimeStep().multipliedBy(stepOffset))));
    } catch (java.security.InvalidKeyException e) {
      throw new AssertionError(e);
    }
  }

  /** Creates a token as the bootstrap admin (confirmed by a second request) and uses it. */
  ForgeHttp newUser(String name, String role, List<String> groups) {
    return newUser(name, List.of(role), groups);
  }

  ForgeHttp newUser(String name, List<String> roles, List<String> groups) {
    ForgeHttp.Answer created = as("admin").postConfirmed("/api/tokens",
        Map.of("name", name, "roles", roles, "groups", groups, "expiresIn", "1d"));
    if (created.status() != 201) {
      throw new AssertionError("creating a token for " + name + ": " + created.body());
    }
    return new ForgeHttp(URI.create("http://127.0.0.1:" + port), created.json().get("token").asText());
  }

  /** Subscribes to a loop's events as {@code user} (null: without a token). */
  SseClient events(String user, String loopId, String lastEventId) {
    return SseClient.open(port, user == null ? null : token(user), "/api/loops/" + loopId + "/events",
        lastEventId);
  }

  /**
   * A repository with {@code agent.sh}: an agent that changes a file, reports a cost of $0.01 and
   * claims completion from iteration {@code doneAt} on; and an inline config running it with no
   * checks and the given gates.
   */
  static Map<String, Object> scriptedLoop(Path repo, int doneAt, List<Map<String, Object>> gates)
      throws IOException {
    Files.writeString(repo.resolve("agent.sh"), """
        echo "iteration $1" > progress.txt
        echo 'FORGE_USAGE {"model":"test","input_tokens":10,"output_tokens":5,"cost_usd":0.01}'
        if [ "$1" -ge %d ]; then echo LOOP_COMPLETE; fi
        """.formatted(doneAt));
    ExampleRepos.git(repo, "add", "agent.sh");
    ExampleRepos.git(repo, "-c", "user.name=T", "-c", "user.email=t@forge.invalid", "commit", "-qm", "agent");
    return withNoChecks(inlineConfig(List.of("bash", "agent.sh", "{iteration}"), gates));
  }

  /** The config with an empty check list: the agent's promise alone completes the loop. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withNoChecks(Map<String, Object> config) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(config);
    Map<String, Object> loop = new java.util.LinkedHashMap<>((Map<String, Object>) copy.get("loop"));
    loop.put("checks", List.of());
    copy.put("loop", loop);
    return copy;
  }

  ForgeHttp anonymous() {
    return new ForgeHttp(URI.create("http://127.0.0.1:" + port), null);
  }

  ForgeHttp withToken(String token) {
    return new ForgeHttp(URI.create("http://127.0.0.1:" + port), token);
  }

  static Path newRepository() throws IOException {
    return ExampleRepos.create(DATA.resolve("repos").resolve("r-" + UUID.randomUUID()));
  }

  /** forge.yml as a JSON object, for requests that send their config inline. */
  static Map<String, Object> inlineConfig(List<String> agentCommand, List<Map<String, Object>> gates) {
    Map<String, Object> gateMap = new java.util.LinkedHashMap<>();
    for (Map<String, Object> gate : gates) {
      Map<String, Object> body = new java.util.LinkedHashMap<>(gate);
      gateMap.put((String) body.remove("name"), body);
    }
    return Map.of(
        "version", 1,
        "loop", Map.of(
            "agent", Map.of("command", agentCommand, "usage", "forge-usage"),
            "completion_promise", "LOOP_COMPLETE",
            "checks", List.of(List.of("bash", "tests/run.sh")),
            "max_iterations", 10,
            "max_runtime", "30m",
            "cost_cap_usd", "1.00"),
        "sandbox", Map.of(
            "image", DEMO_IMAGE,
            "limits", Map.of("memory", "256m", "cpu", 1, "pids", 128, "timeout", "5m",
                "tmpfs", "64m", "output", "1m")),
        "gates", gateMap);
  }

  static Map<String, Object> productionGate() {
    return Map.of("name", "production_deploy", "approvers", List.of("team-lead"),
        "timeout", "24h", "run", List.of(List.of("bash", "deploy.sh")));
  }

  /** The pending-gates entry of {@code loopId}, as {@code as} sees it. */
  static com.fasterxml.jackson.databind.JsonNode pendingGate(ForgeHttp as, String loopId) {
    ForgeHttp.Answer pending = as.get("/api/gates?state=pending");
    org.assertj.core.api.Assertions.assertThat(pending.status()).as(pending.body()).isEqualTo(200);
    for (com.fasterxml.jackson.databind.JsonNode item : pending.json().get("items")) {
      if (item.get("loopId").asText().equals(loopId)) {
        return item;
      }
    }
    throw new AssertionError("loop " + loopId + " is not among the pending gates: " + pending.body());
  }

  /** The first error of a problem answer, as {@code field/rule}. */
  static String fieldAndRule(ForgeHttp.Answer answer) {
    com.fasterxml.jackson.databind.JsonNode error = answer.json().get("errors").get(0);
    return error.get("field").asText() + "/" + error.get("rule").asText();
  }
}
