package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Bad input gets a 400 problem naming the field, and changes nothing; bad callers get 401/403. */
class BadRequestIT extends ForgeIT {

  private static Path repo;
  private static Path outside;
  private static Path notGit;

  @Autowired JdbcClient jdbc;

  @BeforeAll
  static void repositories() throws IOException {
    repo = newRepository();
    outside = ExampleRepos.create(Files.createTempDirectory("forge-outside-root"));
    notGit = Files.createDirectories(DATA.resolve("repos").resolve("plain-directory"));
  }

  static Stream<Arguments> badStarts() {
    Map<String, Object> negativeCap = config(c -> loop(c).put("cost_cap_usd", -1));
    Map<String, Object> unknownKey = config(c -> loop(c).put("max_iteration", 3));
    Map<String, Object> privateDestination = config(c -> sandbox(c).put("network",
        Map.of("mode", "restricted", "allowed", List.of("10.0.0.5:443"))));
    Map<String, Object> mountOutside = config(c -> sandbox(c).put("mounts",
        Map.of("read_only", List.of("../../etc"))));
    Map<String, Object> literalSecret = config(c -> c.put("credentials",
        Map.of("env", Map.of("ANTHROPIC_API_KEY", "sk-ant-api03-Zx8fK2mQ9vL4pR7sT1wY6uB3nE5hJ0aC"))));
    return Stream.of(
        Arguments.of("missing repository", Map.of("goal", "x"), "repository", "required"),
        Arguments.of("unknown top-level key", body(Map.of("repo", "/tmp")), "repo", "unknown"),
        Arguments.of("repository outside the allowed roots", Map.of("repository", "OUTSIDE", "goal", "x"),
            "repository", "outside_root"),
        Arguments.of("repository path with ..", Map.of("repository", "DOTDOT", "goal", "x"),
            "repository", "path"),
        Arguments.of("repository is not a git repository", Map.of("repository", "NOTGIT", "goal", "x"),
            "repository", "git"),
        Arguments.of("negative cost cap", body(Map.of("config", negativeCap)),
            "config.loop.cost_cap_usd", "range"),
        Arguments.of("unknown key in config", body(Map.of("config", unknownKey)),
            "config.loop.max_iteration", "unknown"),
        Arguments.of("allowlisted private address", body(Map.of("config", privateDestination)),
            "config.sandbox.network.allowed[0]", "forbidden"),
        Arguments.of("mount leaving the repository", body(Map.of("config", mountOutside)),
            "config.sandbox.mounts.read_only[0]", "path"),
        Arguments.of("literal secret in config", body(Map.of("config", literalSecret)),
            "config.credentials.env.ANTHROPIC_API_KEY", "secret"),
        Arguments.of("NUL in the goal", body(Map.of("goal", "fix\u0000it")), "goal", "format"),
        Arguments.of("escape sequence in the goal", body(Map.of("goal", "fix\u001b[2Jit")), "goal",
            "format"),
        Arguments.of("literal secret in the goal", body(Map.of("goal",
            "call the API with sk-ant-api03-Zx8fK2mQ9vL4pR7sT1wY6uB3nE5hJ0aC")), "goal", "secret"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStarts")
  void shouldRefuseBadStartWithProblemNamingTheFieldAndStartNothing(
      String why, Map<String, Object> request, String field, String rule) throws IOException {
    long auditRowsBefore = auditRows();
    List<Path> worktreesBefore = worktrees();

    ForgeHttp.Answer answer = as("dev").post("/api/loops", resolvePaths(request));

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    JsonNode errors = answer.json().get("errors");
    assertThat(errors).as(answer.body()).anySatisfy(e -> {
      assertThat(e.get("field").asText()).isEqualTo(field);
      assertThat(e.get("rule").asText()).isEqualTo(rule);
      assertThat(e.get("message").asText()).isNotBlank();
    });
    assertThat(answer.body()).doesNotContain("Exception").doesNotContain("dev.forge")
        .doesNotContain("sk-ant-api03");
    assertThat(auditRows()).isEqualTo(auditRowsBefore);
    assertThat(worktrees()).isEqualTo(worktreesBefore);
  }

  @Test
  @Timeout(120)
  void shouldAnswerEveryRepositoryOutsideTheRootsByteForByteAlikeWhetherOrNotItExists()
      throws IOException {
    // given paths outside the allowed roots: existing and not, a file, a directory, a git
    // repository, and a link inside a root that leads out
    Path leadsOut = Files.createSymbolicLink(DATA.resolve("repos").resolve("leads-out-"
        + System.nanoTime()), outside);
    List<String> paths = List.of("/etc/shadow", "/etc/shadow-x", "/etc", "/no/such/dir",
        outside.toString(), outside + "-x", leadsOut.toString(), leadsOut + "/missing");

    // when a loop is asked for on each
    List<ForgeHttp.Answer> answers = paths.stream()
        .map(p -> as("dev").post("/api/loops", Map.of("repository", p, "goal", "x"))).toList();

    // then every answer is the same 400, naming neither the path nor where the roots are
    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(400));
    assertThat(answers).extracting(ForgeHttp.Answer::body).containsOnly(answers.get(0).body());
    assertThat(answers.get(0).body()).contains("outside_root").doesNotContain("/etc")
        .doesNotContain(DATA.toString()).doesNotContain(outside.toString());
  }

  @Test
  @Timeout(120)
  void shouldRefuseAMountOfALinkToTheWorkersSshWithoutNamingTheHome() throws IOException {
    // given a repository holding a link to the worker user's ~/.ssh
    Path home = Path.of(System.getProperty("user.home"));
    Path withLink = newRepository();
    Files.createSymbolicLink(withLink.resolve("keys"), home.resolve(".ssh"));
    Map<String, Object> mountKeys = config(c -> sandbox(c).put("mounts",
        Map.of("read_only", List.of("keys"))));

    // when a loop asks to mount it
    ForgeHttp.Answer answer = as("dev").post("/api/loops",
        Map.of("repository", withLink.toString(), "goal", "x", "config", mountKeys));

    // then it is refused naming the source as written and the rule, not the home directory
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    JsonNode error = answer.json().get("errors").get(0);
    assertThat(error.get("field").asText()).isEqualTo("config.sandbox.mounts.read_only[0]");
    assertThat(error.get("rule").asText()).isEqualTo("outside_root");
    assertThat(error.get("message").asText()).startsWith("'keys' leads outside the repository");
    assertThat(answer.body()).doesNotContain(home.toString()).doesNotContain(withLink.toString());
  }

  static Stream<Arguments> badListings() {
    return Stream.of(
        Arguments.of("state=running", "state", "format"),
        Arguments.of("state=RUNNING,NOPE", "state", "format"),
        Arguments.of("state=", "state", "format"),
        Arguments.of("limit=0", "limit", "range"),
        Arguments.of("limit=501", "limit", "range"),
        Arguments.of("limit=ten", "limit", "type"),
        Arguments.of("offset=-1", "offset", "range"),
        Arguments.of("repository=relative/path", "repository", "path"),
        Arguments.of("startedBy=not%20a%20user", "startedBy", "format"),
        Arguments.of("startedBy=dev&startedBy=lead", "startedBy", "duplicate"),
        Arguments.of("status=RUNNING", "status", "unknown"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badListings")
  void shouldRefuseBadListingFilterWithProblemNamingTheParameter(
      String query, String field, String rule) {
    ForgeHttp.Answer answer = as("dev").get("/api/loops?" + query);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("errors")).as(answer.body()).anySatisfy(e -> {
      assertThat(e.get("field").asText()).isEqualTo(field);
      assertThat(e.get("rule").asText()).isEqualTo(rule);
      assertThat(e.get("message").asText()).isNotBlank();
    });
  }

  static Stream<Arguments> badAuditQueries() {
    return Stream.of(
        Arguments.of("audit?limit=0", "limit", "range"),
        Arguments.of("audit?limit=1001", "limit", "range"),
        Arguments.of("audit?limit=ten", "limit", "type"),
        Arguments.of("audit?offset=-1", "offset", "range"),
        Arguments.of("audit?offset=100001", "offset", "range"),
        Arguments.of("audit?after=-1", "after", "range"),
        Arguments.of("audit?after=x", "after", "type"),
        Arguments.of("audit?offset=5&after=3", "after", "conflict"),
        Arguments.of("audit?limit=5&limit=6", "limit", "duplicate"),
        Arguments.of("audit?page=2", "page", "unknown"),
        Arguments.of("audit.jsonl?after=-5", "after", "range"),
        Arguments.of("audit.jsonl?after=abc", "after", "type"),
        Arguments.of("audit.jsonl?limit=5", "limit", "unknown"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAuditQueries")
  void shouldRefuseBadAuditPagingWithProblemNamingTheParameter(
      String query, String field, String rule) {
    for (String user : List.of("dev", "lead")) {
      ForgeHttp.Answer answer = as(user).get("/api/loops/loop-0000000000/" + query);

      assertThat(answer.status()).as(answer.body()).isEqualTo(400);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("errors")).as(answer.body()).anySatisfy(e -> {
        assertThat(e.get("field").asText()).isEqualTo(field);
        assertThat(e.get("rule").asText()).isEqualTo(rule);
        assertThat(e.get("message").asText()).isNotBlank();
      });
    }
  }

  static Stream<Arguments> readEndpoints() {
    return Stream.of(
        Arguments.of("/api/loops"),
        Arguments.of("/api/loops?state=RUNNING"),
        Arguments.of("/api/loops/loop-0000000000"),
        Arguments.of("/api/loops/loop-0000000000/events"),
        Arguments.of("/api/loops/loop-0000000000/history"),
        Arguments.of("/api/loops/loop-0000000000/audit"),
        Arguments.of("/api/loops/loop-0000000000/audit?limit=5&after=3"),
        Arguments.of("/api/loops/loop-0000000000/audit.jsonl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readEndpoints")
  void shouldLetEngineersAndApproversReadButNobodyWithoutToken(String path) {
    ForgeHttp.Answer none = anonymous().get(path);
    ForgeHttp.Answer wrong = withToken("forge_not-a-real-token").get(path);

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.contentType()).startsWith("application/problem+json");
    assertThat(wrong.status()).isEqualTo(401);
    for (String user : List.of("dev", "lead")) {
      ForgeHttp.Answer answer = as(user).get(path);
      // 200 for listings, 404 for the unknown loop: never refused for the role
      assertThat(answer.status()).as(user + " " + path + ": " + answer.body()).isIn(200, 404);
    }
  }

  @Test
  void shouldRefuseBodyThatIsNotJson() {
    ForgeHttp.Answer answer = as("dev").postRaw("/api/loops", "{\"repository\": ");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("errors").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void shouldRequireAValidBearerToken() {
    ForgeHttp.Answer none = anonymous().get("/api/loops/loop-abcdefghij");
    ForgeHttp.Answer wrong = withToken("forge_not-a-real-token").get("/api/loops/loop-abcdefghij");

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.contentType()).startsWith("application/problem+json");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().get("detail").asText()).contains("not valid");
  }

  @Test
  void shouldKeepHealthPublicAndEverythingElseClosed() {
    assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
    assertThat(anonymous().get("/actuator/env").status()).isEqualTo(401);
    assertThat(as("dev").get("/actuator/env").status()).isEqualTo(403);
  }

  @Test
  void shouldForbidEngineerFromDecidingGatesAndApproverFromStartingLoops() {
    ForgeHttp.Answer engineerApproves =
        as("dev").post("/api/loops/loop-abcdefghij/gates/production_deploy/approve", Map.of());
    ForgeHttp.Answer approverStarts =
        as("lead").post("/api/loops", Map.of("repository", repo.toString(), "goal", "x"));

    assertThat(engineerApproves.status()).isEqualTo(403);
    assertThat(engineerApproves.json().get("detail").asText()).contains("approver role");
    assertThat(approverStarts.status()).isEqualTo(403);
    assertThat(approverStarts.json().get("detail").asText()).contains("engineer role");
  }

  @Test
  void shouldAnswerUnknownLoopWith404() {
    ForgeHttp.Answer unknown = as("dev").get("/api/loops/loop-0000000000");
    ForgeHttp.Answer malformed = as("dev").get("/api/loops/not-a-loop-id");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(malformed.status()).isEqualTo(404);
  }

  private long auditRows() {
    return jdbc.sql("SELECT count(*) FROM audit_log").query(Long.class).single();
  }

  private static List<Path> worktrees() throws IOException {
    Path dir = DATA.resolve("worktrees");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    }
  }

  private static Map<String, Object> resolvePaths(Map<String, Object> request) {
    Map<String, Object> resolved = new LinkedHashMap<>(request);
    Object repository = resolved.get("repository");
    if ("OUTSIDE".equals(repository)) {
      resolved.put("repository", outside.toString());
    } else if ("DOTDOT".equals(repository)) {
      resolved.put("repository", repo + "/../" + repo.getFileName());
    } else if ("REPO".equals(repository)) {
      resolved.put("repository", repo.toString());
    } else if ("NOTGIT".equals(repository)) {
      resolved.put("repository", notGit.toString());
    }
    return resolved;
  }

  private static Map<String, Object> body(Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("repository", "REPO");
    body.put("goal", "do it");
    body.putAll(extra);
    return body;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(java.util.function.Consumer<Map<String, Object>> change) {
    Map<String, Object> config = deepCopy(inlineConfig(List.of("forge-demo-agent", "{prompt}"), List.of()));
    change.accept(config);
    return config;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> loop(Map<String, Object> config) {
    return (Map<String, Object>) config.get("loop");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sandbox(Map<String, Object> config) {
    return (Map<String, Object>) config.get("sandbox");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return copy;
  }
}
