package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.cli.StandInForge.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loops start|list|status|cancel} against a stand-in server. */
class LoopsCommandTest {

  @TempDir Path dir;
  private StandInForge forge;

  @AfterEach
  void stop() {
    forge.close();
  }

  @Test
  void shouldStartALoopWithTheGoalFromAFileAndTheConfigAsJson() throws IOException {
    forge = new StandInForge((request, exchange) ->
        Answer.json(201, "{\"loopId\":\"loop-abcdefghij\",\"state\":\"RUNNING\"}"));
    Path goal = Files.writeString(dir.resolve("goal.md"), "make the tests pass\n");
    Path config = Files.writeString(dir.resolve("forge.yml"),
        "loop:\n  max_iterations: 5\n  agent:\n    command: [\"forge-demo-agent\", \"{prompt}\"]\n");

    StandInForge.Result result = forge.run("", "loops", "start", "/srv/repos/textstats",
        "--goal-file", goal.toString(), "--config", config.toString());

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo("loop-abcdefghij\n");
    assertThat(result.err()).contains("started loop loop-abcdefghij").doesNotContain(StandInForge.TOKEN);
    assertThat(forge.seen).singleElement().satisfies(seen -> {
      assertThat(seen.method()).isEqualTo("POST");
      assertThat(seen.pathAndQuery()).isEqualTo("/api/loops");
      assertThat(seen.header("Authorization")).isEqualTo("Bearer " + StandInForge.TOKEN);
      assertThat(seen.body()).isEqualTo("{\"repository\":\"/srv/repos/textstats\","
          + "\"goal\":\"make the tests pass\\n\",\"config\":{\"loop\":{\"max_iterations\":5,"
          + "\"agent\":{\"command\":[\"forge-demo-agent\",\"{prompt}\"]}}}}");
    });
  }

  @Test
  void shouldSendARelativeRepositoryAsAnAbsolutePath() {
    forge = new StandInForge((request, exchange) -> Answer.json(201, "{\"loopId\":\"loop-abcdefghij\"}"));

    forge.run("", "loops", "start", "repos/textstats", "--goal", "count words");

    assertThat(forge.seen.get(0).body()).contains("\"repository\":\""
        + Path.of("repos/textstats").toAbsolutePath().normalize() + "\"").contains("\"goal\":\"count words\"");
  }

  @Test
  void shouldRefuseAGoalAndAGoalFileTogetherAsBadUsage() {
    forge = new StandInForge((request, exchange) -> Answer.json(201, "{}"));

    StandInForge.Result result = forge.run("", "loops", "start", "/r", "--goal", "a", "--goal-file", "g");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("give --goal or --goal-file, not both").contains("usage:");
    assertThat(forge.seen).isEmpty();
  }

  @Test
  void shouldPrintAProblemAsHttpStatusAndDetail() {
    forge = new StandInForge((request, exchange) -> Answer.json(400, "{\"status\":400,\"detail\":"
        + "\"repository: must be under an allowed root\",\"errors\":[]}"));

    StandInForge.Result result = forge.run("", "loops", "start", "/etc", "--goal", "x");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("forge: HTTP 400: repository: must be under an allowed root\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void shouldListLoopsAsATableWithTheFiltersAsQueryParameters() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{\"items\":["
        + "{\"loopId\":\"loop-abcdefghij\",\"state\":\"COMPLETED\",\"iteration\":5,\"costUsd\":0.5,"
        + "\"startedBy\":\"dev\",\"startedAt\":\"2026-11-01T10:00:00Z\",\"repository\":\"/srv/r\"},"
        + "{\"loopId\":\"loop-bbbbbbbbbb\",\"state\":null,\"iteration\":1,\"costUsd\":0,"
        + "\"startedBy\":\"dev\",\"startedAt\":\"2026-11-01T09:00:00Z\",\"repository\":\"/srv/r\"}],"
        + "\"offset\":0,\"limit\":500,\"total\":3}"));

    StandInForge.Result result = forge.run("", "loops", "list", "state=COMPLETED", "startedBy=dev");

    assertThat(result.code()).isZero();
    assertThat(forge.seen.get(0).pathAndQuery())
        .isEqualTo("/api/loops?limit=500&state=COMPLETED&startedBy=dev");
    assertThat(result.out().lines()).hasSize(4);
    assertThat(result.out().lines().toList().get(0)).startsWith("LOOP").contains("STATE", "COST", "REPOSITORY");
    assertThat(result.out()).containsPattern("loop-abcdefghij +COMPLETED +5 +\\$0.5 +dev")
        .containsPattern("loop-bbbbbbbbbb +\\(unknown\\)").contains("(2 of 3 loops;");
  }

  @Test
  void shouldRefuseAnUnknownFilterAsBadUsage() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{\"items\":[]}"));

    StandInForge.Result result = forge.run("", "loops", "list", "owner=dev");

    assertThat(result.code()).isEqualTo(2);
    assertThat(forge.seen).isEmpty();
  }

  @Test
  void shouldShowAndCancelALoopUnderBothSpellings() {
    forge = new StandInForge((request, exchange) -> request.method().equals("GET")
        ? Answer.json(200, "{\"loopId\":\"loop-abcdefghij\",\"state\":\"RUNNING\"}")
        : Answer.json(403, "{\"status\":403,\"detail\":\"cancelling a loop needs the engineer or"
            + " approver role, which your token does not have\"}"));

    StandInForge.Result status = forge.run("", "loops", "status", "loop-abcdefghij");
    StandInForge.Result oldStatus = forge.run("", "status", "loop-abcdefghij");
    StandInForge.Result cancel = forge.run("", "loops", "cancel", "loop-abcdefghij");
    StandInForge.Result oldCancel = forge.run("", "cancel", "loop-abcdefghij");

    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("\"state\" : \"RUNNING\"").isEqualTo(oldStatus.out());
    assertThat(cancel.code()).isEqualTo(1);
    assertThat(cancel.err()).isEqualTo("forge: HTTP 403: cancelling a loop needs the engineer or approver"
        + " role, which your token does not have\n").isEqualTo(oldCancel.err());
    assertThat(forge.seen).extracting(StandInForge.Seen::pathAndQuery).containsExactly(
        "/api/loops/loop-abcdefghij", "/api/loops/loop-abcdefghij",
        "/api/loops/loop-abcdefghij/cancel", "/api/loops/loop-abcdefghij/cancel");
  }

  @Test
  void shouldAnswerBadUsageWithExitTwoAndTheUsage() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{}"));

    for (String[] args : new String[][] {{}, {"loops"}, {"loops", "frobnicate"}, {"loops", "status"},
        {"loops", "cancel", "a", "b"}, {"nonsense"}, {"ready", "soon"}}) {
      StandInForge.Result result = forge.run("", args);

      assertThat(result.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(result.err()).as(String.join(" ", args)).contains("usage: forge cli loops start");
    }
    assertThat(forge.seen).isEmpty();
  }

  @Test
  void shouldPrintAHistoryOrTheReasonItWasRefused() {
    forge = new StandInForge((request, exchange) -> request.pathAndQuery().contains("loop-aaaaaaaaaa")
        ? Answer.json(200, "{\"events\":[]}")
        : Answer.json(409, "{\"status\":409,\"detail\":\"the history holds a value that looks like a"
            + " credential; nothing is exported\"}"));

    StandInForge.Result exported = forge.run("", "history", "loop-aaaaaaaaaa");
    StandInForge.Result refused = forge.run("", "history", "loop-bbbbbbbbbb");

    assertThat(exported.code()).isZero();
    assertThat(exported.out()).isEqualTo("{\"events\":[]}\n");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo("forge: HTTP 409: the history holds a value that looks like a"
        + " credential; nothing is exported\n");
  }
}
