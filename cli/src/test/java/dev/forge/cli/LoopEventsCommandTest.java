package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.forge.cli.StandInForge.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code loops events}: one line per Server-Sent Event until {@code terminal}, resumed with
 * {@code Last-Event-ID} when the stream breaks.
 */
class LoopEventsCommandTest {

  private static final String FIRST = """
      : keep-alive

      event: state
      id: 1
      data: {"state":"RUNNING","reason":null}

      event: iteration.started
      id: 1000
      data: {"iteration":1,"maxIterations":5}

      event: checkpoint
      id: 2000
      data: {"iteration":1,"kind":"BEFORE_ITERATION","sha":"0123456789abcdef0123456789abcdef01234567","created":true,"filesChanged":2}

      event: model.call
      id: 2000:14
      data: {"entryId":14,"iteration":1,"actor":"agent","target":"POST /v1/messages claude-sonnet-4-5","detail":{"status":200,"inputTokens":1200,"outputTokens":100,"costUsd":0.0051}}

      event: agent.tool
      id: 2000:15
      data: {"entryId":15,"iteration":1,"actor":"agent","target":"bash tests/run.sh","detail":{"tool":"Bash"}}

      """;
  private static final String SECOND = """
      event: cost
      id: 2001:15
      data: {"costUsd":0.12,"costCapUsd":5.00,"inputTokens":1000,"outputTokens":200}

      event: iteration.finished
      id: 3000:15
      data: {"iteration":1,"outcome":"EXITED","exitCode":0,"promiseSeen":true,"checksPassed":true,
      data: "costUsd":0.12,"costSource":"reported","checkpointSha":"0123456789abcdef"}

      event: gate.decided
      id: 4000:15
      data: {"gate":"production_deploy","decision":"APPROVED","decidedBy":"lead","comment":"ship it"}

      event: terminal
      id: 4001:15
      data: {"state":"COMPLETED","reason":"goal met","iteration":1,"costUsd":0.12}

      event: state
      id: 4002:15
      data: {"state":"never printed"}

      """;

  private StandInForge forge;

  @AfterEach
  void stop() {
    forge.close();
  }

  @Test
  void shouldPrintOneLinePerEventAndResumeAfterTheLastIdWhenTheStreamBreaks() {
    AtomicInteger connections = new AtomicInteger();
    forge = new StandInForge((request, exchange) -> {
      stream(exchange, connections.incrementAndGet() == 1 ? FIRST : SECOND);
      return null;
    });

    StandInForge.Result result = forge.run("", "loops", "events", "loop-abcdefghij");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out().lines()).containsExactly(
        "state RUNNING",
        "iteration 1/5 started",
        "checkpoint 0123456789 (BEFORE_ITERATION, iteration 1, 2 files changed)",
        "iteration 1: model POST /v1/messages claude-sonnet-4-5 -> 200, 1200 input, 100 output"
            + " tokens, $0.0051",
        "iteration 1: tool Bash bash tests/run.sh",
        "cost $0.12 of $5.0 (1000 input, 200 output tokens)",
        "iteration 1 finished: agent exit 0, promise seen, checks passed, $0.12 (reported)",
        "gate production_deploy APPROVED by lead: \"ship it\"",
        "ended COMPLETED: goal met after 1 iterations, $0.12");
    assertThat(result.err()).contains("reconnecting after event 2000:15").doesNotContain(StandInForge.TOKEN);
    assertThat(forge.seen).hasSize(2);
    assertThat(forge.seen.get(0).header("Last-Event-ID")).isNull();
    assertThat(forge.seen.get(1).header("Last-Event-ID")).isEqualTo("2000:15");
    assertThat(forge.seen).allSatisfy(seen -> {
      assertThat(seen.pathAndQuery()).isEqualTo("/api/loops/loop-abcdefghij/events");
      assertThat(seen.header("Accept")).startsWith("text/event-stream");
      assertThat(seen.header("Authorization")).isEqualTo("Bearer " + StandInForge.TOKEN);
    });
  }

  @Test
  void shouldStopWhenTheServerSaysTheLoopHasEnded() {
    forge = new StandInForge((request, exchange) -> new Answer(204, "text/plain", ""));

    StandInForge.Result result = forge.run("", "loops", "events", "loop-abcdefghij");

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo("the loop has ended; nothing more to follow\n");
    assertThat(forge.seen).hasSize(1);
  }

  @Test
  void shouldReportAnUnknownLoopWithoutRetrying() {
    forge = new StandInForge((request, exchange) -> Answer.json(404, "{\"status\":404,\"detail\":"
        + "\"no loop loop-nosuchloop0\"}"));

    StandInForge.Result result = forge.run("", "loops", "events", "loop-nosuchloop0");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("forge: HTTP 404: no loop loop-nosuchloop0\n");
    assertThat(forge.seen).hasSize(1);
  }

  @Test
  void shouldGiveUpWhenReconnectingBringsNothingNew() {
    forge = new StandInForge((request, exchange) -> {
      stream(exchange, ": keep-alive\n\n");
      return null;
    });

    StandInForge.Result result = forge.run("", "loops", "events", "loop-abcdefghij");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("keeps breaking").contains("gave up after 5 reconnections");
    assertThat(forge.seen).hasSize(6);
  }

  private static void stream(HttpExchange exchange, String events) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(events.getBytes(StandardCharsets.UTF_8));
      body.flush();
    }
  }
}
