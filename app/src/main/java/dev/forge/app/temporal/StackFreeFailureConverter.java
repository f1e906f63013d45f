package dev.forge.app.temporal;

import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.FailureConverter;
import io.temporal.failure.DefaultFailureConverter;

/**
 * Temporal's failure converter, except that failures are recorded without their Java stack
 * traces: a history is exported to every role, and a stack trace names Forge's classes and their
 * lines. Reading a failure back is unchanged, so histories recorded before (with stack traces)
 * and after replay alike; a stack trace never decides what a workflow does.
 */
public final class StackFreeFailureConverter implements FailureConverter {

  private final FailureConverter delegate = new DefaultFailureConverter();

  /** The data converter the worker, the client and {@code forge replay} all use. */
  public static DataConverter dataConverter() {
    return DefaultDataConverter.newDefaultInstance()
        .withFailureConverter(new StackFreeFailureConverter());
  }

  @Override
  public RuntimeException failureToException(Failure failure, DataConverter dataConverter) {
    return delegate.failureToException(failure, dataConverter);
  }

  @Override
  public Failure exceptionToFailure(Throwable throwable, DataConverter dataConverter) {
    return withoutStackTraces(delegate.exceptionToFailure(throwable, dataConverter));
  }

  static Failure withoutStackTraces(Failure failure) {
    Failure.Builder builder = failure.toBuilder().clearStackTrace();
    if (failure.hasCause()) {
      builder.setCause(withoutStackTraces(failure.getCause()));
    }
    return builder.build();
  }
}
