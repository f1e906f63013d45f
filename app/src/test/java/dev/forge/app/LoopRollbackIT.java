package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rollback of a paused loop and the squash at its end, through real HTTP, on a real repository:
 * the branch ends as one commit on the base, every checkpoint still reachable from its ref.
 */
class LoopRollbackIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Test
  void shouldRollAPausedLoopBackAndSquashItsBranchAtTheEnd() throws Exception {
    // given a loop that claims completion from iteration 6 on, past its second iteration
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "count",
        "config", scriptedLoop(repo, 6, List.of()))).json().get("loopId").asText();
    dev.awaitStatus(loopId, s -> s.get("iteration").asInt() >= 2, LIMIT);
    String path = "/api/loops/" + loopId + "/rollback";
    ForgeHttp.Answer whileRunning = dev.post(path,
        Map.of("checkpoint", "0123456789abcdef0123456789abcdef01234567"));

    // when it is paused, bad requests are sent, and then its engineer rolls it back
    dev.post("/api/loops/" + loopId + "/pause", Map.of());
    JsonNode paused = dev.awaitStatus(loopId, s -> "PAUSED".equals(s.get("state").asText()), LIMIT);
    String afterIterationOne = checkpointBefore(paused, 2);
    ForgeHttp.Answer malformed = dev.post(path, Map.of("checkpoint", "HEAD~1", "force", true));
    ForgeHttp.Answer unknown = dev.post(path,
        Map.of("checkpoint", "0123456789abcdef0123456789abcdef01234567"));
    ForgeHttp.Answer rolledBack = dev.post(path,
        Map.of("checkpoint", afterIterationOne, "reason", "iteration 2 went astray"));

    // then only the rollback of the paused loop to its own checkpoint happened
    assertThat(whileRunning.status()).as(whileRunning.body()).isEqualTo(409);
    assertThat(whileRunning.body()).contains("pause it first");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).contains("checkpoint").contains("40 lower-case hex digits")
        .contains("\"force\"");
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(409);
    assertThat(unknown.body()).contains("is not one of this loop's last");
    assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
    assertThat(rolledBack.json().get("state").asText()).isEqualTo("PAUSED");
    Path worktree = DATA.resolve("worktrees").resolve(loopId);
    assertThat(Files.readString(worktree.resolve("progress.txt"))).isEqualTo("iteration 1\n");
    assertThat(ExampleRepos.git(repo, "rev-parse", "forge/" + loopId).strip())
        .isEqualTo(afterIterationOne);

    // and once resumed, the loop goes on from there and ends as one squashed commit
    dev.post("/api/loops/" + loopId + "/resume", Map.of());
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    String base = ExampleRepos.git(repo, "rev-parse", "main").strip();
    String squash = ExampleRepos.git(repo, "rev-parse", "forge/" + loopId).strip();
    assertThat(ExampleRepos.git(repo, "rev-list", "main..forge/" + loopId).strip())
        .isEqualTo(squash);
    assertThat(ExampleRepos.git(repo, "rev-parse", squash + "^").strip()).isEqualTo(base);
    assertThat(ExampleRepos.git(repo, "log", "-1", "--format=%B", squash))
        .startsWith("forge(" + loopId + "): COMPLETED after ")
        .contains("Forge-Checkpoint: squash");
    assertThat(ExampleRepos.git(repo, "rev-parse", squash + "^{tree}"))
        .isEqualTo(ExampleRepos.git(repo, "rev-parse", "refs/forge/" + loopId + "/final^{tree}"));
    String kept = ExampleRepos.git(repo, "for-each-ref", "--format=%(objectname) %(refname)",
        "refs/forge/" + loopId + "/");
    assertThat(kept).contains(afterIterationOne + " refs/forge/" + loopId + "/iteration-2");
    assertThat(done.get("checkpoints").get(done.get("checkpoints").size() - 1)
        .get("kind").asText()).isEqualTo("SQUASHED");
    String audit = dev.get("/api/loops/" + loopId + "/audit?limit=1000").body();
    assertThat(audit).contains("\"loop.rolled_back\"").contains("\"workspace.reset\"")
        .contains("loop.rollback.refused").contains("iteration 2 went astray");
  }

  /** The sha of the checkpoint taken before {@code iteration}. */
  private static String checkpointBefore(JsonNode status, int iteration) {
    for (JsonNode checkpoint : status.get("checkpoints")) {
      if (checkpoint.get("iteration").asInt() == iteration
          && "BEFORE_ITERATION".equals(checkpoint.get("kind").asText())) {
        return checkpoint.get("sha").asText();
      }
    }
    throw new AssertionError("no checkpoint before iteration " + iteration + " in " + status);
  }
}
