package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.workflows.loop.LoopWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Whole loops through the HTTP API, on real Docker, git, PostgreSQL and Temporal. */
@SuppressWarnings("unchecked")
class LoopEndToEndIT extends ForgeIT {

  private static final Duration LOOP_LIMIT = Duration.ofMinutes(3);

  @Test
  void shouldRunLoopToCompletionAfterSecondUserApproves() throws Exception {
    // given the example repository with its own forge.yml
    Path repo = newRepository();
    String base = ExampleRepos.git(repo, "rev-parse", "HEAD").strip();

    // when dev starts a loop on it
    ForgeHttp dev = as("dev");
    ForgeHttp.Answer started = dev.post("/api/loops", Map.of("repository", repo.toString()));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    JsonNode waiting = dev.awaitStatus(loopId, s -> s.get("state").asText().equals("AWAITING_APPROVAL")
        || isTerminal(s), LOOP_LIMIT);

    // then it stops at the production gate once the demo agent's work passes the checks
    assertThat(waiting.get("state").asText()).as(waiting.toString()).isEqualTo("AWAITING_APPROVAL");
    assertThat(waiting.get("iteration").asInt()).isEqualTo(5);
    assertThat(waiting.get("costUsd").decimalValue()).isPositive();
    String gateSha = waiting.get("pendingGate").get("checkpointSha").asText();

    // and dev may not approve it, but lead may
    ForgeHttp.Answer selfApproval = dev.post(gatePath(loopId, "approve"), approval(loopId, "mine"));
    assertThat(selfApproval.status()).isEqualTo(403);
    assertThat(selfApproval.contentType()).startsWith("application/problem+json");
    ForgeHttp.Answer approval = as("lead").post(gatePath(loopId, "approve"),
        approvalBy("lead", loopId, "ok"));
    assertThat(approval.status()).as(approval.body()).isEqualTo(200);
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    // forge/<loop-id> holds one squashed commit, the one approved; the per-iteration checkpoints
    // (one per iteration after the first, and the final one) stay reachable for audit; the user's
    // main branch is untouched
    List<String> commits = lines(ExampleRepos.git(repo, "rev-list", base + "..forge/" + loopId));
    assertThat(commits).containsExactly(gateSha);
    assertThat(lines(ExampleRepos.git(repo, "rev-list",
        base + "..refs/forge/" + loopId + "/squashed"))).hasSize(5);
    assertThat(ExampleRepos.git(repo, "rev-parse", "main").strip()).isEqualTo(base);
    assertThat(ExampleRepos.git(repo, "log", "-1", "--format=%B", "forge/" + loopId))
        .startsWith("forge(" + loopId + "): goal met after 5 iterations, for approval at"
            + " production_deploy")
        .contains("Forge-Loop: " + loopId).contains("Forge-Checkpoint: squash");
    ExampleRepos.git(repo, "fsck", "--strict");
    // the gate's command ran on the approved tree: the deploy artifact exists in the work tree
    Path worktree = DATA.resolve("worktrees").resolve(loopId);
    try (var dist = Files.list(worktree.resolve("dist"))) {
      assertThat(dist.map(p -> p.getFileName().toString()).toList())
          .singleElement().asString().startsWith("textstats-").endsWith(".tar.gz");
    }
    // the audit log has the story
    JsonNode audit = dev.get("/api/loops/" + loopId + "/audit?limit=1000").json().get("items");
    List<String> actions = new ArrayList<>();
    audit.forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).contains("workspace.prepared", "loop.started", "checkpoint.created",
        "sandbox.command", "cost.recorded", "gate.requested", "access.denied",
        "gate.decided", "loop.finished");
    // and the exported history replays against the current workflow code
    ForgeHttp.Answer history = dev.get("/api/loops/" + loopId + "/history");
    assertThat(history.status()).isEqualTo(200);
    WorkflowReplayer.replayWorkflowExecution(history.body(), LoopWorkflowImpl.class);
  }

  @Test
  void shouldResetWorkTreeToLastCheckpointWhenGateIsRejected() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "Implement the functions.",
        "config", inlineConfig(List.of("forge-demo-agent", "{prompt}"), List.of(productionGate()))))
        .json().get("loopId").asText();
    JsonNode waiting = dev.awaitStatus(loopId,
        s -> s.get("state").asText().equals("AWAITING_APPROVAL") || isTerminal(s), LOOP_LIMIT);
    assertThat(waiting.get("state").asText()).as(waiting.toString()).isEqualTo("AWAITING_APPROVAL");
    String gateSha = waiting.get("pendingGate").get("checkpointSha").asText();
    // something nobody reviewed appears in the work tree (ignored by git, so not in the checkpoint)
    Path worktree = DATA.resolve("worktrees").resolve(loopId);
    Files.createDirectories(worktree.resolve("dist"));
    Files.writeString(worktree.resolve("dist/unreviewed.tar.gz"), "not approved");
    Files.writeString(worktree.resolve("src/textstats.sh"), "# overwritten after the checkpoint\n");

    ForgeHttp.Answer rejection = as("lead").post(gatePath(loopId, "reject"), Map.of("comment", "no"));
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);

    assertThat(rejection.status()).as(rejection.body()).isEqualTo(200);
    assertThat(done.get("state").asText()).isEqualTo("REJECTED");
    assertThat(done.get("reason").asText()).contains("rejected by lead").contains(gateSha);
    assertThat(worktree.resolve("dist/unreviewed.tar.gz")).doesNotExist();
    assertThat(Files.readString(worktree.resolve("src/textstats.sh"))).contains("word_count");
    assertThat(ExampleRepos.git(repo, "rev-parse", "forge/" + loopId).strip()).isEqualTo(gateSha);
  }

  @Test
  void shouldKeepCredentialValuesOutOfHistoryAuditAndApiAnswers() throws Exception {
    // given a host variable mapped into the sandbox by name, and an agent that prints it
    String secret = System.getenv("E2E_API_KEY");
    assertThat(secret).as("failsafe sets E2E_API_KEY").isNotBlank();
    Path repo = newRepository();
    Files.writeString(repo.resolve("print-key.sh"),
        "echo \"the key is $API_KEY\"\ntest -n \"$API_KEY\" && echo LOOP_COMPLETE\n");
    ExampleRepos.git(repo, "add", "print-key.sh");
    ExampleRepos.git(repo, "-c", "user.name=T", "-c", "user.email=t@forge.invalid", "commit", "-qm", "key");
    Map<String, Object> config = new java.util.LinkedHashMap<>(
        inlineConfig(List.of("bash", "print-key.sh"), List.of()));
    config.put("credentials", Map.of("env", Map.of("API_KEY", "E2E_API_KEY")));
    config.put("loop", new java.util.LinkedHashMap<>((Map<String, Object>) config.get("loop")));
    ((Map<String, Object>) config.get("loop")).put("checks", List.of());
    ForgeHttp dev = as("dev");

    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "print",
        "config", config)).json().get("loopId").asText();
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);

    // then the agent saw the value (it printed the promise only because the key was set) ...
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    // ... but no record Forge keeps or serves contains it
    String history = withDecodedPayloads(dev.get("/api/loops/" + loopId + "/history").body());
    assertThat(history).contains("E2E_API_KEY").contains("the key is").doesNotContain(secret);
    assertThat(dev.get("/api/loops/" + loopId + "/audit?limit=1000").body()).doesNotContain(secret);
    assertThat(dev.get("/api/loops/" + loopId).body()).doesNotContain(secret);
  }

  @Test
  void shouldCancelRunningLoopAndRemoveItsContainer() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "sleep",
        "config", inlineConfig(List.of("sleep", "600"), List.of())))
        .json().get("loopId").asText();
    dev.awaitStatus(loopId, s -> s.get("iteration").asInt() == 1, LOOP_LIMIT);
    awaitContainers(loopId, 1);

    long start = System.nanoTime();
    ForgeHttp.Answer cancel = dev.post("/api/loops/" + loopId + "/cancel", Map.of());
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, Duration.ofSeconds(30));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    assertThat(done.get("state").asText()).isEqualTo("CANCELLED");
    assertThat(tookMillis).isLessThan(15_000);
    awaitContainers(loopId, 0);
  }

  private static void awaitContainers(String loopId, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> ids;
    do {
      Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=dev.forge.loop-id=" + loopId)
          .redirectErrorStream(true).start();
      ids = lines(new String(ps.getInputStream().readAllBytes()));
      ps.waitFor();
      if (ids.size() == expected) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("expected " + expected + " container(s) of " + loopId + ", found " + ids);
  }

  /** History JSON carries payloads base64-encoded: append them decoded, so a search sees them. */
  private static String withDecodedPayloads(String historyJson) throws java.io.IOException {
    StringBuilder all = new StringBuilder(historyJson);
    for (JsonNode data : ForgeHttp.JSON.readTree(historyJson).findValues("data")) {
      if (data.isTextual()) {
        all.append('\n').append(new String(java.util.Base64.getDecoder().decode(data.asText()),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  private static String gatePath(String loopId, String decision) {
    return "/api/loops/" + loopId + "/gates/production_deploy/" + decision;
  }

  private static boolean isTerminal(JsonNode status) {
    return ForgeHttpStates.terminal(status);
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
