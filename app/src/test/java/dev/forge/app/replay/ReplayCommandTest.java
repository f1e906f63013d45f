package dev.forge.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forge replay} on the recorded corpus, and on a history the code no longer matches. */
class ReplayCommandTest {

  private static final Path CORPUS =
      Path.of("../workflows/src/test/resources/histories").toAbsolutePath().normalize();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int replay(String... args) {
    return ReplayCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldReplayEveryHistoryOfAFolderAndSayHowManyInHowLong() throws IOException {
    long files;
    try (var listed = Files.list(CORPUS)) {
      files = listed.filter(p -> p.toString().endsWith(".json")).count();
    }

    int exit = replay(CORPUS.toString());

    assertThat(exit).as(output() + err).isZero();
    assertThat(files).isGreaterThanOrEqualTo(9);
    assertThat(output()).containsPattern("replayed " + files + " histories \\(\\d+ events\\) in \\d+ ms: 0 failed");
    assertThat(output().lines().filter(l -> l.startsWith("ok    "))).hasSize((int) files);
  }

  @Test
  void shouldNameWorkflowRunEventAndDifferenceWhenAHistoryNoLongerReplays(@TempDir Path temp)
      throws IOException {
    // given a recorded history in which the first checkpoint was a different activity: what an
    // old build would have recorded if it had, say, reset before checkpointing
    Path recorded = CORPUS.resolve("demo-completed-after-approval.json");
    String json = Files.readString(recorded);
    String changed = json.replaceFirst("\"WorkspaceCheckpoint\"", "\"WorkspaceReset\"");
    assertThat(changed).isNotEqualTo(json);
    Path broken = Files.writeString(temp.resolve("broken.json"), changed);

    // when
    int exit = replay(broken.toString(), recorded.toString());

    // then
    assertThat(exit).isEqualTo(1);
    assertThat(output()).contains("ok    " + recorded)
        .containsPattern("FAIL  " + java.util.regex.Pattern.quote(broken.toString())
            + " \\(workflow loop-[a-z0-9]+, run [0-9a-f-]{36}, \\d+ events, \\d+ ms\\)")
        .containsPattern("at event 20: non-deterministic: Failure handling event 20 of type"
            + " 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' during replay\\..* expected value"
            + " 'WorkspaceCheckpoint' and an actual value 'WorkspaceReset'")
        .doesNotContain("\tat ")
        .contains("replayed 2 histories").contains("1 failed");
  }

  @Test
  void shouldRefuseBadUsageWithExitCodeTwo() {
    assertThat(replay()).isEqualTo(2);
    assertThat(replay("--workflow-id", "loop-1")).isEqualTo(2);
    assertThat(replay("--server", "127.0.0.1:7233")).isEqualTo(2);
    assertThat(replay("--frobnicate")).isEqualTo(2);
    assertThat(replay("/no/such/file.json")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--workflow-id and --query need --server")
        .contains("--server needs --workflow-id or --query")
        .contains("unknown option --frobnicate")
        .contains("/no/such/file.json is neither a history file nor a folder")
        .contains(ReplayCommand.USAGE);
  }
}
