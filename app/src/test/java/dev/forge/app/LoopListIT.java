package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/loops: listing and filtering loops by state, repository and starter, over real HTTP. */
class LoopListIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Test
  void shouldListAndFilterLoopsByStateRepositoryAndStarter() throws Exception {
    // given a completed loop on one repository and a running one on another
    Path done = newRepository();
    Path busy = newRepository();
    ForgeHttp dev = as("dev");
    String completed = start(dev, done, scriptedLoop(done, 1, List.of()));
    dev.awaitStatus(completed, ForgeHttpStates::terminal, LIMIT);
    String running = start(dev, busy, withNoChecks(inlineConfig(List.of("sleep", "600"), List.of())));
    dev.awaitStatus(running, s -> s.get("iteration").asInt() == 1, LIMIT);

    // when they are listed by repository
    JsonNode byDone = list(dev, "repository=" + enc(done));
    JsonNode byBusy = list(as("lead"), "repository=" + enc(busy));

    // then each shows with its state, starter, repository, progress and times
    assertThat(ids(byDone)).containsExactly(completed);
    JsonNode item = byDone.get("items").get(0);
    assertThat(item.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(item.get("reason").asText()).contains("goal met");
    assertThat(item.get("repository").asText()).isEqualTo(done.toString());
    assertThat(item.get("startedBy").asText()).isEqualTo("dev");
    assertThat(item.get("iteration").asInt()).isEqualTo(1);
    assertThat(item.get("costUsd").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(item.get("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(item.get("closedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(byDone.get("total").asLong()).isEqualTo(1);
    assertThat(byDone.get("limit").asInt()).isEqualTo(50);
    assertThat(byDone.get("offset").asInt()).isZero();
    JsonNode live = byBusy.get("items").get(0);
    assertThat(ids(byBusy)).containsExactly(running);
    assertThat(live.get("state").asText()).isEqualTo("RUNNING");
    assertThat(live.get("iteration").asInt()).isEqualTo(1);
    assertThat(live.has("closedAt")).isFalse();

    // and state filters (repeated or comma-separated) pick the right ones, newest first
    assertThat(ids(list(dev, "repository=" + enc(busy) + "&state=RUNNING"))).containsExactly(running);
    assertThat(ids(list(dev, "repository=" + enc(busy) + "&state=COMPLETED"))).isEmpty();
    assertThat(ids(list(dev, "repository=" + enc(done) + "&state=RUNNING,AWAITING_APPROVAL"))).isEmpty();
    JsonNode both = list(dev, "startedBy=dev&state=RUNNING,COMPLETED&limit=500");
    assertThat(ids(both)).containsSubsequence(running, completed);
    assertThat(ids(list(dev, "startedBy=dev&state=RUNNING&state=COMPLETED&limit=500")))
        .containsSubsequence(running, completed);
    // and the starter filter
    assertThat(ids(list(dev, "startedBy=lead&repository=" + enc(done)))).isEmpty();
    assertThat(ids(list(dev, "startedBy=dev&repository=" + enc(done)))).containsExactly(completed);
    // and paging
    JsonNode first = list(dev, "startedBy=dev&state=RUNNING,COMPLETED&limit=1");
    JsonNode second = list(dev, "startedBy=dev&state=RUNNING,COMPLETED&limit=1&offset=1");
    assertThat(first.get("items")).hasSize(1);
    assertThat(first.get("total").asLong()).isEqualTo(both.get("total").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(ids(second)).containsExactly(ids(both).get(1));

    // when the running loop is cancelled, it lists as CANCELLED with its end
    dev.post("/api/loops/" + running + "/cancel", Map.of());
    dev.awaitStatus(running, ForgeHttpStates::terminal, LIMIT);
    JsonNode cancelled = awaitListed(dev, "repository=" + enc(busy) + "&state=CANCELLED");
    assertThat(cancelled.get("items").get(0).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.get("items").get(0).has("closedAt")).isTrue();
    assertThat(ids(list(dev, "repository=" + enc(busy) + "&state=RUNNING"))).isEmpty();
  }

  @Test
  void shouldListFailedLoopAsFailedWithItsReason() throws Exception {
    // given a loop whose approved gate command fails
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = start(dev, repo, scriptedLoop(repo, 1, List.of(Map.of("name", "production_deploy",
        "approvers", List.of("team-lead"), "timeout", "1h", "run", List.of(List.of("false"))))));
    dev.awaitStatus(loopId, s -> s.get("state").asText().equals("AWAITING_APPROVAL"), LIMIT);
    assertThat(ids(list(dev, "repository=" + enc(repo) + "&state=AWAITING_APPROVAL")))
        .containsExactly(loopId);
    as("lead").post("/api/loops/" + loopId + "/gates/production_deploy/approve",
        approvalBy("lead", loopId, "ok"));

    // then its status (a query of a failed workflow) and the listing say FAILED
    JsonNode status = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(status.get("state").asText()).isEqualTo("FAILED");
    JsonNode failed = awaitListed(dev, "repository=" + enc(repo) + "&state=FAILED");
    assertThat(failed.get("items").get(0).get("reason").asText()).contains("production_deploy");
  }

  private static String start(ForgeHttp dev, Path repo, Map<String, Object> config) {
    ForgeHttp.Answer started = dev.post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "work", "config", config));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("loopId").asText();
  }

  static JsonNode list(ForgeHttp user, String query) {
    ForgeHttp.Answer answer = user.get("/api/loops?" + query);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/json");
    return answer.json();
  }

  /**
   * The listing once its first item has ended for Forge's records: the closing audit entry is
   * written as the workflow ends, a moment after the state says so.
   */
  private static JsonNode awaitListed(ForgeHttp user, String query) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode page;
    do {
      page = list(user, query);
      if (page.get("items").size() > 0 && page.get("items").get(0).has("closedAt")) {
        return page;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("nothing listed for " + query + ": " + page);
  }

  static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(i -> ids.add(i.get("loopId").asText()));
    return ids;
  }

  static String enc(Path path) {
    return URLEncoder.encode(path.toString(), StandardCharsets.UTF_8);
  }
}
