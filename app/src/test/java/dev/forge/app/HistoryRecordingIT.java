package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.api.loops.HistorySecrets;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Records histories for the replay corpus ({@code workflows/src/test/resources/histories}) from
 * real runs on the embedded platform — real Docker, git, Temporal test server and PostgreSQL —
 * with the current workflow code. Runs only when asked, with {@code
 * -Dforge.record-histories=<folder>}; each scenario writes its files there.
 */
@EnabledIfSystemProperty(named = "forge.record-histories", matches = ".+")
class HistoryRecordingIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(10);

  @Autowired WorkflowClient client;

  @Test
  void rolledBackThenSquashedAndApproved() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    Map<String, Object> gate = new LinkedHashMap<>(productionGate());
    gate.put("run", List.of(List.of("bash", "-c", "echo deployed")));
    String loopId = start(dev, repo, scriptedLoop(repo, 4, List.of(gate)));
    dev.awaitStatus(loopId, s -> s.get("iteration").asInt() >= 2, LIMIT);
    dev.post("/api/loops/" + loopId + "/pause", Map.of());
    JsonNode paused = dev.awaitStatus(loopId, s -> "PAUSED".equals(s.get("state").asText()), LIMIT);
    String sha = paused.get("checkpoints").get(0).get("sha").asText();
    assertThat(dev.post("/api/loops/" + loopId + "/rollback",
        Map.of("checkpoint", sha, "reason", "recording")).status()).isEqualTo(200);
    dev.post("/api/loops/" + loopId + "/resume", Map.of());
    dev.awaitStatus(loopId, s -> "AWAITING_APPROVAL".equals(s.get("state").asText()), LIMIT);
    assertThat(as("lead").post("/api/loops/" + loopId + "/gates/production_deploy/approve",
        approvalBy("lead", loopId, "recorded")).status()).isEqualTo(200);
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    save(loopId, null, "rolled-back-squashed-approved.json");
  }

  @Test
  void gateEscalatedRemindedAndApprovedByTwo() throws Exception {
    // a gate that needs two approvals, escalates to dba after a minute and reminds every minute
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    ForgeHttp dana = newUser("dana-recording", "approver", List.of("dba"));
    Map<String, Object> gate = new LinkedHashMap<>(Map.of("name", "database_migration",
        "approvers", List.of("team-lead"), "required_approvals", 2, "timeout", "1m",
        "on_timeout", "escalate", "escalate_to", List.of("dba"), "escalation_timeout", "1h",
        "remind_every", "1m", "require_backup", true, "rollback_plan", "required"));
    String loopId = start(dev, repo, scriptedLoop(repo, 2, List.of(gate)));
    JsonNode escalated = dev.awaitStatus(loopId, s -> !s.path("pendingGate").isNull()
        && s.path("pendingGate").path("escalatedAtMillis").asLong() > 0
        && s.path("pendingGate").path("reminders").asInt() >= 1, LIMIT);
    String sha = escalated.get("pendingGate").get("checkpointSha").asText();
    Map<String, Object> approval = Map.of("checkpointSha", sha, "comment", "recorded",
        "backupRef", "snapshot-recording-1", "rollbackPlan", "revert the migration commit");
    assertThat(as("lead").post("/api/loops/" + loopId + "/gates/database_migration/approve",
        approval).status()).isEqualTo(200);
    ForgeHttp.Answer second = dana.post("/api/loops/" + loopId + "/gates/database_migration/approve",
        approval);
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("gates").get(0).get("approvals")).hasSize(2);
    save(loopId, null, "gate-escalated-reminded-two-approvals.json");
  }

  @Test
  void costCapRaisedWhileWaitingAtTheCap() throws Exception {
    Path repo = newRepository();
    Map<String, Object> config = withLoop(scriptedLoop(repo, 4, List.of()),
        Map.of("cost_cap_usd", "0.02", "cost_cap_wait", "1h"));
    ForgeHttp dev = as("dev");
    String loopId = start(dev, repo, config);
    dev.awaitStatus(loopId, s -> "PAUSED".equals(s.get("state").asText()), LIMIT);
    assertThat(as("lead").post("/api/loops/" + loopId + "/cost-cap",
        Map.of("costCapUsd", "0.10", "reason", "recording")).status()).isEqualTo(200);
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    save(loopId, null, "cost-cap-raised-while-waiting.json");
  }

  @Test
  void continuedAsNewAfterOneHundredIterations() throws Exception {
    Path repo = newRepository();
    Map<String, Object> config = withLoop(scriptedLoop(repo, 1_000, List.of()),
        Map.of("max_iterations", 102, "cost_cap_usd", "5.00",
            "no_progress", Map.of("iterations", 0, "same_failures", 0)));
    ForgeHttp dev = as("dev");
    String loopId = start(dev, repo, config);
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("MAX_ITERATIONS");
    String lastRun = client.newUntypedWorkflowStub(loopId).describe().getExecution().getRunId();
    String firstRun = client.fetchHistory(loopId, lastRun).getEvents().get(0)
        .getWorkflowExecutionStartedEventAttributes().getFirstExecutionRunId();
    assertThat(firstRun).isNotEqualTo(lastRun);
    save(loopId, firstRun, "continued-as-new-first-run.json");
    save(loopId, lastRun, "continued-as-new-last-run.json");
  }

  @Test
  void stoppedAtTheCostCap() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = start(dev, repo, withLoop(scriptedLoop(repo, 10, List.of()),
        Map.of("cost_cap_usd", "0.03")));
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COST_CAP_REACHED");
    save(loopId, null, "cost-cap-reached.json");
  }

  @Test
  void cancelledWhileIterating() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = start(dev, repo, withLoop(scriptedLoop(repo, 1_000, List.of()),
        Map.of("max_iterations", 200, "cost_cap_usd", "5.00",
            "no_progress", Map.of("iterations", 0, "same_failures", 0))));
    dev.awaitStatus(loopId, s -> s.get("iteration").asInt() >= 3, LIMIT);
    assertThat(dev.post("/api/loops/" + loopId + "/cancel", Map.of()).status()).isEqualTo(202);
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("CANCELLED");
    save(loopId, null, "cancelled-while-iterating.json");
  }

  @Test
  void gateTimedOut() throws Exception {
    Path repo = newRepository();
    Map<String, Object> gate = new LinkedHashMap<>(productionGate());
    gate.put("timeout", "1m");
    ForgeHttp dev = as("dev");
    String loopId = start(dev, repo, scriptedLoop(repo, 2, List.of(gate)));
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("REJECTED");
    assertThat(done.get("gates").get(0).get("state").asText()).isEqualTo("TIMED_OUT");
    save(loopId, null, "gate-timed-out.json");
  }

  @Test
  void checkOutputFlaggedThenCompleted() throws Exception {
    ForgeHttp dev = as("dev");
    String loopId = CheckOutputSanitizingIT.startLoopWithSteeringCheckOutput(dev, newRepository());
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    save(loopId, null, "check-output-flagged-then-completed.json");
  }

  @Test
  void failedInsideAnActivityWithoutStackTraces() throws Exception {
    ForgeHttp dev = as("dev");
    String loopId = start(dev, newRepository(),
        FailureLeaksIT.withSandbox(Map.of("image", "forge/no-such-image:0.0.1")));
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FAILED");
    assertThat(client.fetchHistory(loopId).toJson(true)).doesNotContain("stackTrace");
    save(loopId, null, "failed-in-activity-without-stack-traces.json");
  }

  /** A loop with loop.agent.model: its agent step goes through the model gateway (metered). */
  @Test
  @SuppressWarnings("unchecked")
  void modelGatewayMeteredThenCompleted() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    Map<String, Object> config = scriptedLoop(repo, 2, List.of());
    Map<String, Object> agent = new LinkedHashMap<>(
        (Map<String, Object>) ((Map<String, Object>) config.get("loop")).get("agent"));
    agent.put("model", Map.of("provider", "anthropic", "credential", "E2E_API_KEY"));
    String loopId = start(dev, repo, withLoop(config, Map.of("agent", agent)));
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("iterations").get(0).get("costSource").asText()).isEqualTo("metered");
    save(loopId, null, "model-gateway-metered-completed.json");
  }

  private static String start(ForgeHttp as, Path repo, Map<String, Object> config) {
    ForgeHttp.Answer started = as.post("/api/loops",
        Map.of("repository", repo.toString(), "goal", "count", "config", config));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("loopId").asText();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withLoop(Map<String, Object> config,
      Map<String, Object> settings) {
    Map<String, Object> copy = new LinkedHashMap<>(config);
    Map<String, Object> loop = new LinkedHashMap<>((Map<String, Object>) copy.get("loop"));
    loop.putAll(settings);
    copy.put("loop", loop);
    return copy;
  }

  private void save(String loopId, String runId, String name) throws IOException {
    Path folder = Files.createDirectories(Path.of(System.getProperty("forge.record-histories")));
    String history = client.fetchHistory(loopId, runId).toJson(true);
    assertThat(HistorySecrets.find(history)).as("a value that looks like a secret").isEmpty();
    Files.writeString(folder.resolve(name), history);
  }
}
