package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forge.spec.loop.ModelProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Real agents through the model gateway: the real Claude Code and Codex CLIs in their Forge images
 * run whole loops against the scripted model (a test fixture, not an AI), which the operator's
 * configuration makes the providers' upstream. The key (E2E_API_KEY, set for this JVM by the
 * failsafe configuration) stays on the worker: the sandbox has a placeholder, the gateway adds the
 * key, meters every call and records every tool call the model asked for.
 *
 * <p>One scripted model serves every test here, each provider's turns in order, so the tests run
 * in order: Claude Code's three iterations, then the cost cap's turns (Anthropic), then Codex's
 * (OpenAI).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealAgentLoopIT extends ForgeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLAUDE_IMAGE = "forge/claude-code:2.1.329-bookworm";
  private static final String CODEX_IMAGE = "forge/codex:0.169.0-bookworm";
  private static final String MODEL_IMAGE = "forge/scripted-model:0.1.0-bookworm";
  /** The value of E2E_API_KEY in app/pom.xml's failsafe configuration. */
  private static final String KEY = "e2e-credential-value-5b8c1f94d2";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String EGRESS_NETWORK = "forge-it-model-egress-" + RUN;
  private static final String MODEL = "forge-it-scripted-model-" + RUN;
  private static final Duration LOOP_LIMIT = Duration.ofMinutes(6);
  private static final HttpClient http = HttpClient.newHttpClient();
  private static URI modelUri;

  @DynamicPropertySource
  static void scriptedModelAsTheUpstream(DynamicPropertyRegistry registry) throws Exception {
    createEgressNetwork();
    Path dir = Files.createTempDirectory("forge-it-script",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path script = dir.resolve("script.json");
    Files.writeString(script, JSON.writeValueAsString(script()));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    Result started = docker("run", "-d", "--name", MODEL, "--read-only", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "-v", dir + ":/script:ro", MODEL_IMAGE);
    assertThat(started.exitCode()).as(started.output()).isZero();
    String ip = docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
        MODEL).output();
    modelUri = URI.create("http://" + ip + ":8080");
    registry.add("forge.worker.egress.network", () -> EGRESS_NETWORK);
    registry.add("forge.worker.gateway.upstreams.anthropic", () -> modelUri.toString());
    registry.add("forge.worker.gateway.upstreams.openai", () -> modelUri.toString());
    // The scripted model is on a private Docker bridge: the operator trusts this upstream.
    registry.add("forge.worker.gateway.trust-upstreams", () -> "true");
  }

  /** Claude Code's turns, the cost cap's, then Codex's: one script, a cursor per provider. */
  private static ObjectNode script() throws IOException {
    ArrayNode turns = JSON.createArrayNode();
    for (String name : List.of("claude-code-textstats.json", "codex-textstats.json")) {
      turns.addAll((ArrayNode) JSON.readTree(ExampleRepos.PROJECT
          .resolve("sandbox-images/scripted-model/scripts").resolve(name).toFile()).get("turns"));
      if (name.startsWith("claude")) {
        // The cost cap's loop: every call is dear, so the third no longer fits the cap.
        for (int i = 0; i < 8; i++) {
          ObjectNode turn = turns.addObject();
          turn.put("provider", "anthropic");
          turn.putArray("tool_calls").addObject().put("name", "Bash").putObject("input")
              .put("command", "echo step " + i);
          turn.putObject("usage").put("input_tokens", 20000).put("output_tokens", 2000);
        }
      }
    }
    ObjectNode script = JSON.createObjectNode();
    script.set("turns", turns);
    return script;
  }

  /** A /28 in 198.51.100.0/24 (TEST-NET-2), as RestrictedLoopIT makes. */
  private static void createEgressNetwork() throws Exception {
    String last = "";
    for (int attempt = 0; attempt < 12; attempt++) {
      int block = ThreadLocalRandom.current().nextInt(1, 16) * 16;
      Result created = docker("network", "create", "--driver", "bridge",
          "--subnet", "198.51.100." + block + "/28", "--gateway", "198.51.100." + (block + 1),
          EGRESS_NETWORK);
      if (created.exitCode() == 0) {
        return;
      }
      last = created.output();
    }
    throw new IllegalStateException("could not create a test egress network: " + last);
  }

  @AfterAll
  static void removeScriptedModel() throws Exception {
    docker("rm", "-f", MODEL);
    docker("network", "rm", EGRESS_NETWORK);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> agentConfig(String image, List<String> command, String usage,
      String provider, String capUsd) {
    Map<String, Object> config = new LinkedHashMap<>(inlineConfig(command, List.of(
        productionGate())));
    Map<String, Object> loop = new LinkedHashMap<>((Map<String, Object>) config.get("loop"));
    loop.put("agent", Map.of("command", command, "usage", usage,
        "model", Map.of("provider", provider, "credential", "E2E_API_KEY")));
    loop.put("cost_cap_usd", capUsd);
    loop.put("max_iterations", 5);
    config.put("loop", loop);
    Map<String, Object> sandbox = new LinkedHashMap<>((Map<String, Object>) config.get("sandbox"));
    sandbox.put("image", image);
    sandbox.put("limits", Map.of("memory", "1g", "cpu", 1, "pids", 256, "timeout", "5m",
        "tmpfs", "256m", "output", "4m"));
    config.put("sandbox", sandbox);
    return config;
  }

  private static String goal() throws IOException {
    return Files.readString(ExampleRepos.EXAMPLE.resolve("PROMPT.md"));
  }

  private static JsonNode audit(ForgeHttp as, String loopId) {
    return as.get("/api/loops/" + loopId + "/audit?limit=1000").json().get("items");
  }

  private static List<String> actions(JsonNode audit, String action) {
    List<String> out = new ArrayList<>();
    audit.forEach(e -> {
      if (e.get("action").asText().equals(action)) {
        out.add(e.path("target").asText());
      }
    });
    return out;
  }

  private static String upstreamRequests() throws Exception {
    return http.send(HttpRequest.newBuilder(modelUri.resolve("/_scripted/requests")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** What the model received, less the key headers the gateway added (the one place it may be). */
  private static String withoutKeyHeaders(String requests) {
    return requests.replace("\"x-api-key\": \"" + KEY + "\"", "")
        .replace("\"authorization\": \"Bearer " + KEY + "\"", "");
  }

  /** Runs a loop to its gate, approves it as lead, and returns its final status. */
  private JsonNode runThroughTheGate(ForgeHttp dev, String loopId) {
    JsonNode waiting = dev.awaitStatus(loopId, s -> s.get("state").asText()
        .equals("AWAITING_APPROVAL") || ForgeHttpStates.terminal(s), LOOP_LIMIT);
    assertThat(waiting.get("state").asText()).as(waiting.toString())
        .isEqualTo("AWAITING_APPROVAL");
    assertThat(waiting.get("iteration").asInt()).isEqualTo(3);
    ForgeHttp.Answer approval = as("lead").post("/api/loops/" + loopId
        + "/gates/production_deploy/approve", approvalBy("lead", loopId, "scripted run is right"));
    assertThat(approval.status()).as(approval.body()).isEqualTo(200);
    return dev.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);
  }

  private void assertMeteredAndAudited(ForgeHttp dev, String loopId, JsonNode done,
      List<String> tools) {
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    JsonNode audit = audit(dev, loopId);
    // every model call the agent made is a model.call entry, every tool call the model asked for
    // an agent.tool entry with its target, as the model said it
    assertThat(actions(audit, "model.call")).hasSizeGreaterThanOrEqualTo(tools.size());
    assertThat(actions(audit, "agent.tool")).containsAll(tools);
    // the gateway's meter is the cost of record
    assertThat(audit.toString()).contains("\"costSource\":\"metered\"");
    assertThat(done.get("costUsd").decimalValue()).isPositive()
        .isLessThanOrEqualTo(done.get("costCapUsd").decimalValue());
    // the secret never left the worker: not in the audit, the status, or anything the agent sent
    // the model (its env, /proc/self/environ and a grep of the file system are in there)
    assertThat(audit.toString()).doesNotContain(KEY);
    assertThat(done.toString()).doesNotContain(KEY);
    // the history exports (its secret check passes the agent's output, env dump included) and
    // holds no key either
    ForgeHttp.Answer history = dev.get("/api/loops/" + loopId + "/history");
    assertThat(history.status()).as(history.body()).isEqualTo(200);
    assertThat(history.body()).doesNotContain(KEY);
    assertInTheEventStream(loopId, audit, tools);
  }

  private static List<Long> entryIds(List<SseClient.Event> events, String name) {
    return events.stream().filter(e -> e.name().equals(name))
        .map(e -> e.data().get("entryId").asLong()).toList();
  }

  /** The gateway's entries are in the loop's event stream too, before terminal, and resume. */
  private void assertInTheEventStream(String loopId, JsonNode audit, List<String> tools) {
    List<SseClient.Event> events;
    try (SseClient stream = events("dev", loopId, null)) {
      events = stream.readToEnd(Duration.ofMinutes(1));
    }
    List<String> streamedTools = events.stream().filter(e -> e.name().equals("agent.tool"))
        .map(e -> e.data().get("target").asText()).toList();
    assertThat(streamedTools).isEqualTo(actions(audit, "agent.tool")).containsAll(tools);
    assertThat(events.stream().filter(e -> e.name().equals("model.call")).count())
        .isEqualTo(actions(audit, "model.call").size());
    assertThat(events.get(events.size() - 1).name()).isEqualTo("terminal");
    assertThat(events).extracting(SseClient.Event::sseId).doesNotHaveDuplicates();

    SseClient.Event middle = events.stream().filter(e -> e.name().equals("agent.tool"))
        .toList().get(1);
    List<SseClient.Event> resumed;
    try (SseClient stream = events("dev", loopId, middle.sseId())) {
      resumed = stream.readToEnd(Duration.ofMinutes(1));
    }
    List<SseClient.Event> after = events.subList(events.indexOf(middle) + 1, events.size());
    assertThat(entryIds(resumed, "agent.tool")).isNotEmpty()
        .containsExactlyElementsOf(entryIds(after, "agent.tool"));
    assertThat(resumed.get(resumed.size() - 1).name()).isEqualTo("terminal");
  }

  @Test
  @Order(1)
  void shouldRunClaudeCodeThroughTheGatewayToACompletedLoop() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    Map<String, Object> config = agentConfig(CLAUDE_IMAGE, List.of("claude", "-p",
        "--output-format", "json", "--dangerously-skip-permissions", "--model",
        "claude-sonnet-4-5", "{prompt}"), "claude-json", "anthropic", "3.00");

    ForgeHttp.Answer started = dev.post("/api/loops", Map.of("repository", repo.toString(),
        "goal", goal(), "config", config));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    JsonNode done = runThroughTheGate(dev, loopId);

    assertMeteredAndAudited(dev, loopId, done, List.of("/workspace/src/textstats.sh",
        "bash tests/run.sh", "env", "grep -rs e2e-credential-value / --exclude-dir=proc"));
    String sent = upstreamRequests();
    assertThat(sent).contains("\"x-api-key\": \"" + KEY + "\"")
        .contains("ANTHROPIC_API_KEY=" + ModelProvider.PLACEHOLDER_KEY).contains("HOME=/tmp");
    // the tool results the model received: env and /proc/self/environ hold the placeholder only
    assertThat(withoutKeyHeaders(sent)).doesNotContain(KEY);
    assertThat(sent).doesNotContain("x-forge-gateway-token");
    assertThat(ExampleRepos.git(repo, "show", "forge/" + loopId + ":src/textstats.sh"))
        .doesNotContain("forge-demo: TODO");
  }

  @Test
  @Order(2)
  void shouldEndALoopWhoseCallsWouldPassTheCapWithinTheCap() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    BigDecimal cap = new BigDecimal("0.40");
    Map<String, Object> config = agentConfig(CLAUDE_IMAGE, List.of("claude", "-p",
        "--output-format", "json", "--dangerously-skip-permissions", "--model",
        "claude-sonnet-4-5", "{prompt}"), "claude-json", "anthropic", cap.toPlainString());

    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", goal(),
        "config", config)).json().get("loopId").asText();
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COST_CAP_REACHED");
    assertThat(done.get("iteration").asInt()).isEqualTo(1);
    assertThat(done.get("costUsd").decimalValue()).isPositive().isLessThanOrEqualTo(cap);
    JsonNode audit = audit(dev, loopId);
    assertThat(actions(audit, "model.call")).hasSizeGreaterThanOrEqualTo(1);
    assertThat(audit.toString()).contains("\"rule\":\"cost_cap\"");
  }

  @Test
  @Order(3)
  void shouldRunCodexThroughTheGatewayToACompletedLoop() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    Map<String, Object> config = agentConfig(CODEX_IMAGE, List.of("codex", "exec",
        "--skip-git-repo-check", "--json", "-c", "model_provider=forge", "-m", "gpt-5-codex",
        "{prompt}"), "codex-jsonl", "openai", "3.00");

    ForgeHttp.Answer started = dev.post("/api/loops", Map.of("repository", repo.toString(),
        "goal", goal(), "config", config));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    JsonNode done = runThroughTheGate(dev, loopId);

    assertMeteredAndAudited(dev, loopId, done, List.of("bash tests/run.sh", "env"));
    String sent = upstreamRequests();
    assertThat(sent).contains("Bearer " + KEY)
        .contains("OPENAI_API_KEY=" + ModelProvider.PLACEHOLDER_KEY);
    assertThat(withoutKeyHeaders(sent)).doesNotContain(KEY);
  }

  @Test
  @Order(4)
  void shouldMeterACallWhateverTheAgentSaysItCostAndRefuseAHostNotAllowed() throws Exception {
    // given an agent that calls the model by hand, asks its proxy for a host not allowed, and
    // reports a tiny cost of its own
    Path repo = newRepository();
    Files.writeString(repo.resolve("agent.sh"), String.join("\n",
        "body='{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}'",
        "exec 3<>/dev/tcp/forge-model-gateway/3129",
        "printf 'POST /v1/messages HTTP/1.1\\r\\nHost: forge-model-gateway\\r\\nContent-Type:"
            + " application/json\\r\\nx-api-key: %s\\r\\nContent-Length: %d\\r\\nConnection:"
            + " close\\r\\n\\r\\n%s' \"$ANTHROPIC_API_KEY\" \"${#body}\" \"$body\" >&3",
        "cat <&3 > answer.txt",
        "p=${HTTP_PROXY#http://}",
        "exec 3<>/dev/tcp/${p%:*}/${p##*:}",
        "printf 'CONNECT elsewhere.forge.test:443 HTTP/1.1\\r\\nHost: elsewhere.forge.test:443"
            + "\\r\\n\\r\\n' >&3",
        "timeout 10 cat <&3 > refused.txt",
        "echo 'FORGE_USAGE {\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.000001}'",
        "echo LOOP_COMPLETE", ""));
    ExampleRepos.git(repo, "add", "agent.sh");
    ExampleRepos.git(repo, "-c", "user.name=T", "-c", "user.email=t@forge.invalid", "commit",
        "-qm", "agent");
    Map<String, Object> config = new LinkedHashMap<>(withNoChecks(agentConfig(
        "forge/sandbox:0.1.0-bookworm", List.of("bash", "agent.sh"), "forge-usage", "anthropic",
        "1.00")));
    config.put("gates", Map.of());
    ForgeHttp dev = as("dev");

    // when the loop runs
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "call",
        "config", config)).json().get("loopId").asText();
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);

    // then the call went through, and its metered cost is the loop's, not the agent's claim
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    String branch = "forge/" + loopId;
    assertThat(ExampleRepos.git(repo, "show", branch + ":answer.txt")).contains("200 OK");
    BigDecimal metered = new BigDecimal("0.000600"); // the fallback's 100 in, 20 out at 3/15 USD
    assertThat(done.get("costUsd").decimalValue()).isEqualByComparingTo(metered);
    JsonNode audit = audit(dev, loopId);
    assertThat(actions(audit, "cost.disagreement")).hasSize(1);
    // and the host not allowed was refused with a reason the agent can read
    assertThat(ExampleRepos.git(repo, "show", branch + ":refused.txt")).contains("403");
    assertThat(actions(audit, "egress.denied")).contains("elsewhere.forge.test:443");
  }

  record Result(int exitCode, String output) {}

  private static Result docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    return new Result(process.waitFor(), output.strip());
  }
}
