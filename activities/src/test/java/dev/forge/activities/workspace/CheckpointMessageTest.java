package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.workflows.workspace.CheckpointKind;
import org.junit.jupiter.api.Test;

class CheckpointMessageTest {

  @Test
  void shouldFormatSubjectBodyAndTrailersBeforeAnIteration() {
    // when
    String message =
        CheckpointMessage.format("loop-one", 4, CheckpointKind.BEFORE_ITERATION, "iteration-4");

    // then
    assertThat(message)
        .startsWith("forge(loop-one): checkpoint before iteration 4\n\n")
        .endsWith("\n\nForge-Loop: loop-one\nForge-Iteration: 4\nForge-Checkpoint: iteration-4\n");
    assertThat(message.split("\n\n")).hasSize(3);
  }

  @Test
  void shouldFormatFinalCheckpoint() {
    // when
    String message = CheckpointMessage.format("loop-one", 9, CheckpointKind.FINAL, "final");

    // then
    assertThat(message)
        .startsWith("forge(loop-one): final checkpoint after iteration 9\n\n")
        .contains("Forge-Checkpoint: final\n");
  }

  @Test
  void shouldRecogniseItsOwnCheckpoint() {
    // given
    String message =
        CheckpointMessage.format("loop-one", 4, CheckpointKind.BEFORE_ITERATION, "iteration-4");

    // then
    assertThat(CheckpointMessage.isCheckpoint(message, "loop-one", "iteration-4")).isTrue();
    assertThat(CheckpointMessage.isCheckpoint(message, "loop-one", "iteration-5")).isFalse();
    assertThat(CheckpointMessage.isCheckpoint(message, "loop-two", "iteration-4")).isFalse();
    assertThat(CheckpointMessage.belongsTo(message, "loop-one")).isTrue();
    assertThat(CheckpointMessage.belongsTo(message, "loop-on")).isFalse();
  }

  @Test
  void shouldIgnoreLookalikesOutsideTheTrailerBlock() {
    // given a user's commit that merely mentions the trailers in its body
    String message =
        "forge(loop-one): checkpoint before iteration 4\n\n"
            + "Forge-Loop: loop-one\n"
            + "Forge-Checkpoint: iteration-4\n\n"
            + "This paragraph is prose, not trailers.\n";

    // then
    assertThat(CheckpointMessage.isCheckpoint(message, "loop-one", "iteration-4")).isFalse();
    assertThat(CheckpointMessage.belongsTo(message, "loop-one")).isFalse();
  }

  @Test
  void shouldNotTakeASubjectAloneForTrailers() {
    assertThat(CheckpointMessage.trailers("Forge-Loop: loop-one\n")).isEmpty();
  }
}
