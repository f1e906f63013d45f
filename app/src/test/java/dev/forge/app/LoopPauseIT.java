package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pause and resume through real HTTP: the loop waits between iterations until resumed. */
class LoopPauseIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Test
  void shouldWaitPausedBetweenIterationsAndFinishOnceResumed() throws Exception {
    // given a loop that finishes in its fourth iteration
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "count",
        "config", scriptedLoop(repo, 4, List.of()))).json().get("loopId").asText();

    // when its engineer pauses it
    ForgeHttp.Answer pause = dev.post("/api/loops/" + loopId + "/pause", Map.of());
    JsonNode paused = dev.awaitStatus(loopId, s -> "PAUSED".equals(s.get("state").asText()), LIMIT);
    Thread.sleep(3_000);
    JsonNode stillPaused = dev.get("/api/loops/" + loopId).json();

    // then nothing runs while it is paused, a second pause is refused, and an approver resumes it
    assertThat(pause.status()).as(pause.body()).isEqualTo(202);
    assertThat(paused.get("reason").asText()).startsWith("paused by dev");
    assertThat(stillPaused.get("state").asText()).isEqualTo("PAUSED");
    assertThat(stillPaused.get("iteration").asInt()).isEqualTo(paused.get("iteration").asInt());
    assertThat(dev.post("/api/loops/" + loopId + "/pause", Map.of()).status()).isEqualTo(409);
    ForgeHttp.Answer resume = as("lead").post("/api/loops/" + loopId + "/resume", Map.of());
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(resume.status()).as(resume.body()).isEqualTo(202);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("iteration").asInt()).isEqualTo(4);
    String audit = dev.get("/api/loops/" + loopId + "/audit?limit=1000").body();
    assertThat(audit).contains("loop.pause.requested").contains("\"loop.paused\"")
        .contains("\"loop.resumed\"");
    // and an ended loop can be neither paused nor resumed
    assertThat(dev.post("/api/loops/" + loopId + "/pause", Map.of()).status()).isEqualTo(409);
    assertThat(anonymous().post("/api/loops/" + loopId + "/resume", Map.of()).status())
        .isEqualTo(401);
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldLetOnlyAnotherApproverRaiseTheCostCapOfAPausedLoop() throws Exception {
    // given a loop that would stop at its $0.02 cap before finishing in iteration 3, paused
    Path repo = newRepository();
    Map<String, Object> config = new java.util.LinkedHashMap<>(scriptedLoop(repo, 3, List.of()));
    Map<String, Object> loop = new java.util.LinkedHashMap<>((Map<String, Object>) config.get("loop"));
    loop.put("cost_cap_usd", "0.02");
    config.put("loop", loop);
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "count",
        "config", config)).json().get("loopId").asText();
    dev.post("/api/loops/" + loopId + "/pause", Map.of());
    dev.awaitStatus(loopId, s -> "PAUSED".equals(s.get("state").asText()), LIMIT);
    String path = "/api/loops/" + loopId + "/cost-cap";

    // when the engineer tries, bad input is sent, and then an approver raises the cap
    ForgeHttp.Answer byEngineer = dev.post(path, Map.of("costCapUsd", "1.00"));
    ForgeHttp.Answer lower = as("lead").post(path, Map.of("costCapUsd", "0.01"));
    ForgeHttp.Answer malformed = as("lead").post(path, Map.of("costCapUsd", "lots", "why", "x"));
    ForgeHttp.Answer raised = as("lead").post(path, Map.of("costCapUsd", "0.05", "reason", "close"));
    dev.post("/api/loops/" + loopId + "/resume", Map.of());
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);

    // then only the approver's raise counted, and the loop finished under the new cap
    assertThat(byEngineer.status()).isEqualTo(403);
    assertThat(lower.status()).as(lower.body()).isEqualTo(409);
    assertThat(lower.body()).contains("must be above the current $0.02");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).contains("costCapUsd").contains("\"why\"");
    assertThat(raised.status()).as(raised.body()).isEqualTo(200);
    assertThat(raised.json().get("costCapUsd").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("iteration").asInt()).isEqualTo(3);
    assertThat(dev.get("/api/loops/" + loopId + "/audit?limit=1000").body())
        .contains("\"cost_cap.raised\"").contains("cost_cap.raise.refused");
  }
}
