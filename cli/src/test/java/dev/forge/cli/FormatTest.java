package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A finished loop as GET /api/loops/{id} shows it: iteration 1 started on a clean tree. */
  private static final String STATUS = """
      {"maxIterations": 10,
       "checkpoints": [
         {"iteration": 1, "kind": "BEFORE_ITERATION", "sha": "994309bae4aa", "created": false},
         {"iteration": 2, "kind": "BEFORE_ITERATION", "sha": "d0ca5f4e24bb", "created": true},
         {"iteration": 2, "kind": "FINAL", "sha": "ad8275022acc", "created": true},
         {"iteration": 2, "kind": "SQUASHED", "sha": "0e2f24590fdd", "created": true}]}
      """;

  @Test
  void shouldSayWhichIterationStartedFromACommitItDidNotMake() throws Exception {
    JsonNode status = JSON.readTree(STATUS);

    assertThat(Format.iteration(iteration(1), status))
        .startsWith("iteration 1/10: checkpoint 994309bae4 (nothing changed: no new commit), agent exit 0");
    assertThat(Format.iteration(iteration(2), status))
        .startsWith("iteration 2/10: checkpoint d0ca5f4e24, agent exit 0");
  }

  @Test
  void shouldListTheCheckpointOfEveryIterationAndTheFinalOneButNotTheSquash() throws Exception {
    JsonNode checkpoints = JSON.readTree(STATUS).get("checkpoints");

    assertThat(Format.checkpointsByIteration(checkpoints))
        .isEqualTo("1=994309bae4 (no new commit) 2=d0ca5f4e24 final=ad8275022a");
    assertThat(Format.createdCheckpoints(checkpoints, false)).containsExactly("d0ca5f4e24", "ad8275022a");
    assertThat(Format.createdCheckpoints(checkpoints, true)).containsExactly("0e2f24590f");
  }

  private static JsonNode iteration(int n) throws Exception {
    return JSON.readTree("""
        {"iteration": %d, "checkpointSha": "%s", "outcome": "EXITED", "exitCode": 0,
         "promiseSeen": false, "checksPassed": null, "costUsd": 0.04, "costSource": "reported"}
        """.formatted(n, n == 1 ? "994309bae4aa" : "d0ca5f4e24bb"));
  }
}
