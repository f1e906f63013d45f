package dev.forge.workflows;

/** Task-queue names, in one place: workers and clients must agree on them. */
public final class TaskQueues {

  /** Loop workflows and every activity they schedule. */
  public static final String LOOPS = "forge-loops";

  private TaskQueues() {}
}
