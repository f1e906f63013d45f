package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.app.replay.ReplayCommand;
import io.temporal.client.WorkflowClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A loop whose step fails inside an activity: what every role reads of it (the status, the audit
 * log, the history export, read by a viewer) says in Forge's words what failed, with no stack
 * trace, no Java or docker-java class name and no raw engine message; and the exported history
 * still replays.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FailureLeaksIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static final List<String> INTERNALS = List.of("stackTrace", "dev.forge.", "java.",
      "com.github.dockerjava", "Status 400", "{\"message\"", "Range of CPUs", "Exception");

  @Autowired WorkflowClient temporal;

  @Test
  void shouldReportAnImageTheValidatorRefusesInForgesWordsOnly() throws Exception {
    // given a loop whose sandbox image (pinned, so allowed) is not on the Docker host
    Map<String, Object> config = withSandbox(Map.of("image", "forge/no-such-image:0.0.1"));

    // when it runs, and its first step is refused inside the sandbox activity
    String loopId = start(config);
    JsonNode done = as("dev").awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);

    // then it failed for Forge's reason, and nothing anyone reads of it names Forge's internals
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FAILED");
    assertThat(done.get("reason").asText())
        .contains("image forge/no-such-image:0.0.1 not found locally");
    assertNothingInternalIn(loopId, done);
  }

  @Test
  void shouldReportAnEngineRefusalInForgesWordsOnly() throws Exception {
    // given a loop that asks for far more CPUs than the Docker host has
    Map<String, Object> config = withSandbox(Map.of("limits", Map.of("memory", "256m",
        "cpu", 64, "pids", 128, "timeout", "5m", "tmpfs", "64m", "output", "1m")));

    // when it starts: a start-time policy may refuse it; otherwise the engine refuses the container
    ForgeHttp.Answer started = as("dev").post("/api/loops", Map.of("repository",
        newRepository().toString(), "goal", "use the CPUs", "config", config));
    if (started.status() == 400) {
      assertThat(INTERNALS).noneMatch(started.body()::contains);
      return;
    }
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    JsonNode done = as("dev").awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);

    // then the reason says which setting the engine refused and what to do, in Forge's words
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FAILED");
    assertThat(done.get("reason").asText())
        .contains("the Docker engine refused the sandbox's settings (cpu): the Docker host has")
        .contains("ask for at most that many in sandbox.limits.cpu");
    assertNothingInternalIn(loopId, done);
  }

  private void assertNothingInternalIn(String loopId, JsonNode status) throws Exception {
    ForgeHttp viewer = viewer();
    ForgeHttp.Answer history = viewer.get("/api/loops/" + loopId + "/history");
    ForgeHttp.Answer audit = as("dev").get("/api/loops/" + loopId + "/audit?limit=1000");
    assertThat(history.status()).as(history.body()).isEqualTo(200);
    assertThat(audit.status()).isEqualTo(200);
    assertThat(history.body()).contains("EVENT_TYPE_WORKFLOW_EXECUTION_FAILED");
    assertThat(audit.body()).contains("loop.failed");
    for (String answer : List.of(status.toString(), viewer.get("/api/loops/" + loopId).body(),
        history.body(), audit.body())) {
      assertThat(INTERNALS).as(answer).noneMatch(answer::contains);
    }
    // as recorded, before the export's scrubbing: the worker wrote no stack trace at all
    assertThat(temporal.fetchHistory(loopId).toJson(true)).doesNotContain("stackTrace");
    // and the export replays against this build's workflow code
    Path file = Files.createTempFile("failed-loop-", ".json");
    Files.writeString(file, history.body());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = ReplayCommand.run(List.of(file.toString()), new PrintStream(out, true,
        StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    Files.delete(file);
  }

  private ForgeHttp viewer() {
    ForgeHttp.Answer created = as("admin").postConfirmed("/api/tokens", Map.of(
        "name", "viewer-" + UUID.randomUUID().toString().substring(0, 8),
        "roles", List.of("viewer"), "groups", List.of(), "expiresIn", "1d"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return new ForgeHttp(URI.create("http://127.0.0.1:" + port),
        created.json().get("token").asText());
  }

  private String start(Map<String, Object> config) throws Exception {
    ForgeHttp.Answer started = as("dev").post("/api/loops", Map.of("repository",
        newRepository().toString(), "goal", "fail inside an activity", "config", config));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("loopId").asText();
  }

  /** The inline config with {@code overrides} in its sandbox section; also a recorded scenario. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withSandbox(Map<String, Object> overrides) {
    Map<String, Object> config = new LinkedHashMap<>(
        withNoChecks(inlineConfig(List.of("bash", "-c", "echo LOOP_COMPLETE"), List.of())));
    Map<String, Object> sandbox = new LinkedHashMap<>((Map<String, Object>) config.get("sandbox"));
    sandbox.putAll(overrides);
    config.put("sandbox", sandbox);
    return config;
  }
}
