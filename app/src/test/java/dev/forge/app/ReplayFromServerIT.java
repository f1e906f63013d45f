package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.app.replay.ReplayCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** {@code forge replay --server}: histories fetched from the running (embedded) Temporal. */
class ReplayFromServerIT extends ForgeIT {

  @Value("${spring.temporal.connection.target}") String temporal;

  @Test
  void shouldReplayALoopFetchedFromTheServerByItsId() throws Exception {
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "count",
        "config", scriptedLoop(repo, 2, List.of()))).json().get("loopId").asText();
    dev.awaitStatus(loopId, ForgeHttpStates::terminal, Duration.ofMinutes(2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = ReplayCommand.run(List.of("--server", temporal, "--workflow-id", loopId,
        "--workflow-id", "loop-nosuchloop"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(report).isEqualTo(2);
    assertThat(report).contains("ok    server:" + loopId + " (workflow " + loopId);

    ByteArrayOutputStream byQuery = new ByteArrayOutputStream();
    ByteArrayOutputStream byQueryErr = new ByteArrayOutputStream();
    int queried = ReplayCommand.run(List.of("--server", temporal, "--query",
        "WorkflowType='LoopWorkflow'"), new PrintStream(byQuery, true, StandardCharsets.UTF_8),
        new PrintStream(byQueryErr, true, StandardCharsets.UTF_8));
    // The embedded test server keeps no visibility store: a query is refused with a clear word.
    assertThat(queried).isEqualTo(2);
    assertThat(byQueryErr.toString(StandardCharsets.UTF_8))
        .contains("the server does not answer visibility queries");
  }
}
