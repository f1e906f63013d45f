package dev.forge.activities.sandbox;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * The parts of Temporal's activity context a sandbox step needs. Outside an activity (plain tests,
 * tools) there is no run id, the attempt is 1 and heartbeats go nowhere.
 */
interface ActivityContext {

  String NO_RUN_ID = "none";

  String runId();

  int attempt();

  /**
   * Records progress. Throws {@link io.temporal.client.ActivityCompletionException} when the
   * activity was cancelled or timed out meanwhile.
   */
  void heartbeat(String details);

  /** The context of the activity running on this thread, or a detached one. */
  static ActivityContext current() {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException notInAnActivity) {
      return detached();
    }
    return new ActivityContext() {
      @Override
      public String runId() {
        return context.getInfo().getWorkflowRunId();
      }

      @Override
      public int attempt() {
        return context.getInfo().getAttempt();
      }

      @Override
      public void heartbeat(String details) {
        context.heartbeat(details);
      }
    };
  }

  static ActivityContext detached() {
    return new ActivityContext() {
      @Override
      public String runId() {
        return NO_RUN_ID;
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public void heartbeat(String details) {
        // Nobody to tell.
      }
    };
  }
}
