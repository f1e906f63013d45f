package dev.forge.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.workflows.loop.LoopWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded history in {@code src/test/resources/histories} against the current
 * workflow code. A change to LoopWorkflowImpl that would break loops already running (some waiting
 * days at a gate) fails here, in the build, instead of on a live loop.
 */
class LoopWorkflowReplayTest {

  static final Path HISTORIES = Path.of("src/test/resources/histories");

  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.list(HISTORIES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void shouldReplayRecordedHistoryWithCurrentCode(Path history) throws Exception {
    WorkflowExecutionHistory recorded = WorkflowExecutionHistory.fromJson(Files.readString(history));
    assertThat(recorded.getEvents()).as("history %s has events", history).isNotEmpty();

    WorkflowReplayer.replayWorkflowExecution(recorded, LoopWorkflowImpl.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void shouldFailReplayWhenActivitiesRunInAnotherOrder(Path history) throws Exception {
    WorkflowExecutionHistory recorded = WorkflowExecutionHistory.fromJson(Files.readString(history));

    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(recorded, ReorderedLoopWorkflow.class))
        .hasMessageContaining(NonDeterministicException.class.getName())
        .hasMessageContaining("EVENT_TYPE_ACTIVITY_TASK_SCHEDULED");
  }
}
