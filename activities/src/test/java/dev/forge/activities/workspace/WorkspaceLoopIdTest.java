package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceLoopIdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "loop-1",
        "0a-",
        "a23456789012345678901234567890123456789012345678901234567890123"
      })
  void shouldAcceptLowerCaseIdsOfThreeTo63Characters(String loopId) {
    assertThat(LoopIds.requireValid(loopId)).isEqualTo(loopId);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "ab",
        "-abc",
        "Loop-1",
        "loop_1",
        "loop.1",
        "loop/1",
        "../x",
        "loop 1",
        "loop\n1",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void shouldRejectAnythingElseNonRetryably(String loopId) {
    assertThatThrownBy(() -> LoopIds.requireValid(loopId))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("InvalidLoopId");
              assertThat(failure.getOriginalMessage()).contains("3 to 63 characters");
            });
  }
}
