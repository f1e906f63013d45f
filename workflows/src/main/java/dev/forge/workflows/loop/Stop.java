package dev.forge.workflows.loop;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/** Why a phase of the loop ended: a state to move to and a sentence saying why. */
record Stop(LoopState state, String reason) {

  /** An activity failed for good (its retries spent, or not retryable): the loop fails. */
  static Stop activityFailed(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String message = cause instanceof ApplicationFailure app ? app.getOriginalMessage()
        : cause != null ? cause.getMessage() : failure.getMessage();
    return new Stop(LoopState.FAILED, failure.getActivityType() + " failed: " + message);
  }
}
