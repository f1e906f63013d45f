package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/loops/{id}/events: a loop's progress as Server-Sent Events, over real HTTP. */
class LoopEventsIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Test
  void shouldStreamIterationsCheckpointsCostAndStateUntilTerminalThenEnd() throws Exception {
    // given a loop that claims completion in its second iteration
    Path repo = newRepository();
    String loopId = start(repo, scriptedLoop(repo, 2, List.of()));

    // when dev follows it from the start
    try (SseClient stream = events("dev", loopId, null)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
      List<SseClient.Event> events = stream.readToEnd(LIMIT);

      // then the events tell the story in order, and the stream ends after terminal
      assertThat(stream.ended()).isTrue();
      assertThat(names(events)).containsSubsequence("iteration.started", "checkpoint",
          "iteration.finished", "iteration.started", "iteration.finished", "checkpoint", "state",
          "terminal");
      assertThat(names(events)).contains("cost").endsWith("terminal");
      assertThat(events).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates();
      SseClient.Event firstFinished = first(events, "iteration.finished");
      assertThat(firstFinished.data().get("iteration").asInt()).isEqualTo(1);
      assertThat(firstFinished.data().get("outcome").asText()).isEqualTo("EXITED");
      assertThat(firstFinished.data().get("promiseSeen").asBoolean()).isFalse();
      assertThat(firstFinished.data().get("costUsd").decimalValue()).isEqualByComparingTo("0.01");
      SseClient.Event squash = last(events, "checkpoint");
      assertThat(squash.data().get("kind").asText()).isEqualTo("SQUASHED");
      assertThat(squash.data().get("sha").asText()).matches("[0-9a-f]{40}");
      assertThat(last(events, "cost").data().get("costUsd").decimalValue()).isEqualByComparingTo("0.02");
      assertThat(last(events, "state").data().get("state").asText()).isEqualTo("COMPLETED");
      JsonNode terminal = last(events, "terminal").data();
      assertThat(terminal.get("state").asText()).isEqualTo("COMPLETED");
      assertThat(terminal.get("iteration").asInt()).isEqualTo(2);
    }
  }

  @Test
  void shouldResumeAfterLastEventIdWithoutRepeatingEarlierEvents() throws Exception {
    Path repo = newRepository();
    String loopId = start(repo, scriptedLoop(repo, 2, List.of()));
    as("dev").awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    List<SseClient.Event> all;
    try (SseClient stream = events("lead", loopId, null)) {
      all = stream.readToEnd(LIMIT);
    }
    SseClient.Event seen = first(all, "iteration.finished");

    List<SseClient.Event> resumed;
    try (SseClient stream = events("lead", loopId, Long.toString(seen.id()))) {
      assertThat(stream.status()).isEqualTo(200);
      resumed = stream.readToEnd(LIMIT);
    }

    // the events after the one seen, none before it: the same happenings with the same ids, and
    // the current cost and state again
    assertThat(resumed).isNotEmpty().allSatisfy(e -> assertThat(e.id()).isGreaterThan(seen.id()));
    assertThat(happenings(resumed)).isEqualTo(happenings(all.stream()
        .filter(e -> e.id() > seen.id()).toList()));
    assertThat(names(resumed)).startsWith("iteration.started")
        .containsSubsequence("iteration.finished", "checkpoint", "cost", "state", "terminal");
    assertThat(first(resumed, "iteration.started").data().get("iteration").asInt()).isEqualTo(2);
  }

  @Test
  void shouldSayNothingMoreToClientThatSawTerminal() throws Exception {
    Path repo = newRepository();
    String loopId = start(repo, scriptedLoop(repo, 1, List.of()));
    List<SseClient.Event> all;
    try (SseClient stream = events("dev", loopId, null)) {
      all = stream.readToEnd(LIMIT);
    }
    try (SseClient stream = events("dev", loopId, Long.toString(last(all, "terminal").id()))) {
      assertThat(stream.status()).isEqualTo(204);
    }
    try (SseClient stream = events("dev", loopId, Long.toString(last(all, "terminal").id() + 5000))) {
      assertThat(stream.status()).isEqualTo(400);
      assertThat(stream.problem().get("errors").get(0).get("field").asText()).isEqualTo("Last-Event-ID");
    }
  }

  @Test
  void shouldStreamGateRequestAndDecision() throws Exception {
    Path repo = newRepository();
    String loopId = start(repo, scriptedLoop(repo, 1, List.of(Map.of("name", "production_deploy",
        "approvers", List.of("team-lead"), "timeout", "1h", "run", List.of(List.of("false"))))));

    try (SseClient stream = events("dev", loopId, null)) {
      List<SseClient.Event> events = new ArrayList<>(
          stream.readUntil(e -> e.name().equals("gate.requested"), LIMIT));
      assertThat(last(events, "gate.requested").data().get("gate").asText()).isEqualTo("production_deploy");
      as("lead").post("/api/loops/" + loopId + "/gates/production_deploy/approve",
          approvalBy("lead", loopId, "ship it"));
      events.addAll(stream.readToEnd(LIMIT));

      assertThat(names(events)).containsSubsequence("checkpoint", "gate.requested", "gate.decided",
          "terminal");
      JsonNode decided = last(events, "gate.decided").data();
      assertThat(decided.get("decision").asText()).isEqualTo("APPROVED");
      assertThat(decided.get("decidedBy").asText()).isEqualTo("lead");
      assertThat(decided.get("comment").asText()).isEqualTo("ship it");
      assertThat(names(events)).containsSubsequence("gate.requested", "state", "gate.decided");
      assertThat(last(events, "terminal").data().get("state").asText()).isEqualTo("FAILED");
      assertThat(stream.ended()).isTrue();
    }
  }

  @Test
  void shouldRefuseUnknownLoopsAndLimitStreamsPerUserFreeingSlotsOfClientsThatLeft()
      throws Exception {
    try (SseClient unknown = events("dev", "loop-0000000000", null)) {
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.contentType()).startsWith("application/problem+json");
    }
    try (SseClient malformed = events("dev", "loop-0000000000", "not-a-number")) {
      assertThat(malformed.status()).isEqualTo(400);
    }

    // given a loop that runs for a long time, followed by lead on eight streams
    Path repo = newRepository();
    String loopId = start(repo, withNoChecks(inlineConfig(List.of("sleep", "600"), List.of())));
    as("dev").awaitStatus(loopId, s -> s.get("iteration").asInt() == 1, LIMIT);
    List<SseClient> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        SseClient stream = events("lead", loopId, null);
        assertThat(stream.status()).isEqualTo(200);
        stream.readUntil(e -> e.name().equals("state"), LIMIT);
        streams.add(stream);
      }

      // then a ninth is refused, but dev may still follow
      try (SseClient ninth = events("lead", loopId, null)) {
        assertThat(ninth.status()).isEqualTo(429);
        assertThat(ninth.contentType()).startsWith("application/problem+json");
        assertThat(ninth.problem().get("detail").asText()).contains("8 event streams");
      }
      try (SseClient devs = events("dev", loopId, null)) {
        assertThat(devs.status()).isEqualTo(200);
      }

      // and once one client goes away, its slot is free again (at the latest after a keep-alive)
      streams.remove(0).close();
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      int status;
      do {
        Thread.sleep(1000);
        try (SseClient again = events("lead", loopId, null)) {
          status = again.status();
        }
      } while (status == 429 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(200);

      // and cancelling the loop ends every stream with terminal
      as("dev").post("/api/loops/" + loopId + "/cancel", Map.of());
      for (SseClient stream : streams) {
        List<SseClient.Event> rest = stream.readToEnd(LIMIT);
        assertThat(last(rest, "terminal").data().get("state").asText()).isEqualTo("CANCELLED");
        assertThat(stream.ended()).isTrue();
      }
    } finally {
      streams.forEach(SseClient::close);
    }
  }

  private String start(Path repo, Map<String, Object> config) {
    ForgeHttp.Answer started = as("dev").post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "work", "config", config));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("loopId").asText();
  }

  /** The happenings (not the values) of a stream: their ids and names. */
  private static List<String> happenings(List<SseClient.Event> events) {
    return events.stream().filter(e -> e.id() % 1000 == 0).map(e -> e.id() + " " + e.name()).toList();
  }

  private static List<String> names(List<SseClient.Event> events) {
    return events.stream().map(SseClient.Event::name).toList();
  }

  private static SseClient.Event first(List<SseClient.Event> events, String name) {
    return events.stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + names(events)));
  }

  private static SseClient.Event last(List<SseClient.Event> events, String name) {
    return events.stream().filter(e -> e.name().equals(name)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + name + " in " + names(events)));
  }
}
