package dev.forge.workflows.loop;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One AFK loop: iterate the agent in a sandbox until the goal is met (completion promise and all
 * checks passing) or a limit is hit, checkpointing before every iteration; then pass each human
 * gate. The workflow id is the loop id. Cancel it with Temporal's workflow cancellation.
 */
@WorkflowInterface
public interface LoopWorkflow {

  /**
   * Runs the loop to a terminal state. Returns for COMPLETED, REJECTED, MAX_ITERATIONS,
   * MAX_RUNTIME and COST_CAP_REACHED; fails the workflow (type {@code LoopFailed}) for FAILED and
   * ends as cancelled for CANCELLED. {@link #status()} tells the state in every case.
   */
  @WorkflowMethod
  LoopResult run(LoopRequest request);

  /** The loop's current state; also answers after the loop has ended. */
  @QueryMethod
  LoopStatus status();

  /**
   * Decides the pending gate: an approval counts towards its {@code required_approvals} (the gate
   * passes at N distinct approvers), a rejection rejects it. Returns the gate as it stands after the
   * decision. Refused by {@link #validateDecision} (and nothing is written to history) when no gate
   * of that name is pending, when the decider started the loop, is not one of the gate's approvers
   * or has voted already, when an approval names another checkpoint than the gate's (stale) or
   * lacks the backup reference or rollback plan the gate requires.
   */
  @UpdateMethod
  GateView decideGate(GateDecision decision);

  @UpdateValidatorMethod(updateName = "decideGate")
  void validateDecision(GateDecision decision);

  /**
   * Raises the cost cap of a running loop; returns the loop's status with the new cap. Refused by
   * {@link #validateCapRaise} (nothing written to history) when the loop has ended, when the raiser
   * started the loop, or when the new cap is not above the current one.
   */
  @UpdateMethod
  LoopStatus raiseCostCap(CapRaise raise);

  @UpdateValidatorMethod(updateName = "raiseCostCap")
  void validateCapRaise(CapRaise raise);

  /**
   * Rolls a paused loop's branch and work tree back to one of its checkpoints (or its base); the
   * loop stays paused, and its next iteration starts from there. Refused by {@link
   * #validateRollback} (nothing written to history) when the loop is not paused, or the commit is
   * not one of the checkpoints its status lists.
   */
  @UpdateMethod
  LoopStatus rollback(Rollback rollback);

  @UpdateValidatorMethod(updateName = "rollback")
  void validateRollback(Rollback rollback);

  /**
   * Pauses the loop before its next iteration (a running step finishes first); it waits, state
   * PAUSED, until {@link #resume}. Time paused does not count against {@code max_runtime}.
   *
   * @param by who asked
   */
  @SignalMethod
  void pause(String by);

  /**
   * Lets a paused loop go on with its next iteration.
   *
   * @param by who asked
   */
  @SignalMethod
  void resume(String by);
}
