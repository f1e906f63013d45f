package dev.forge.app.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class StackFreeFailureConverterTest {

  private final DataConverter converter = StackFreeFailureConverter.dataConverter();

  @Test
  void shouldRecordAFailureAndItsCausesWithoutStackTraces() {
    // given a failure with a cause, both with stack traces naming this class
    ApplicationFailure failure = ApplicationFailure.newNonRetryableFailureWithCause(
        "the step was refused", "SandboxConfigError", new IllegalStateException("inner"));

    // when it is recorded
    Failure recorded = converter.exceptionToFailure(failure);

    // then neither it nor its cause carries a stack trace, and message and type are kept
    assertThat(recorded.getStackTrace()).isEmpty();
    assertThat(recorded.getCause().getStackTrace()).isEmpty();
    assertThat(recorded.toString()).doesNotContain("StackFreeFailureConverterTest");
    assertThat(recorded.getMessage()).isEqualTo("the step was refused");
    assertThat(recorded.getApplicationFailureInfo().getType()).isEqualTo("SandboxConfigError");
    assertThat(recorded.getApplicationFailureInfo().getNonRetryable()).isTrue();
  }

  @Test
  void shouldReadAFailureRecordedWithAStackTraceAsBefore() {
    // given a failure as the default converter recorded it, stack trace included
    Failure before = DefaultDataConverter.STANDARD_INSTANCE.exceptionToFailure(
        ApplicationFailure.newFailure("Docker failed", "SandboxDockerError"));
    assertThat(before.getStackTrace()).isNotEmpty();

    // when it is read back
    RuntimeException read = converter.failureToException(before);

    // then it is the same failure
    assertThat(read).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) read).getType()).isEqualTo("SandboxDockerError");
    assertThat(((ApplicationFailure) read).getOriginalMessage()).isEqualTo("Docker failed");
  }
}
