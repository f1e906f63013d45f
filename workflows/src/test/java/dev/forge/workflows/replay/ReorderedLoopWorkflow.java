package dev.forge.workflows.replay;

import dev.forge.workflows.loop.CapRaise;
import dev.forge.workflows.loop.GateDecision;
import dev.forge.workflows.loop.GateView;
import dev.forge.workflows.loop.LoopRequest;
import dev.forge.workflows.loop.LoopResult;
import dev.forge.workflows.loop.LoopStatus;
import dev.forge.workflows.loop.LoopWorkflow;
import dev.forge.workflows.loop.Rollback;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.Workspace;
import dev.forge.workflows.workspace.WorkspaceActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * A deliberately non-deterministic change, kept in test sources: the loop takes its first
 * checkpoint before it records "loop.started", where the real workflow records first. Replaying a
 * recorded history against it must fail.
 */
public class ReorderedLoopWorkflow implements LoopWorkflow {

  private final WorkspaceActivities workspaces = Workflow.newActivityStub(WorkspaceActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5)).build());

  @Override
  public LoopResult run(LoopRequest request) {
    Workspace workspace = workspaces.prepare(request.loopId(), request.repository(), 0);
    workspaces.checkpoint(new CheckpointRequest(workspace, 1, CheckpointKind.BEFORE_ITERATION));
    throw new IllegalStateException("replay must have failed before reaching this point");
  }

  @Override
  public LoopStatus status() {
    throw new UnsupportedOperationException();
  }

  @Override
  public GateView decideGate(GateDecision decision) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void validateDecision(GateDecision decision) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void pause(String by) {}

  @Override
  public void resume(String by) {}

  @Override
  public LoopStatus raiseCostCap(CapRaise raise) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void validateCapRaise(CapRaise raise) {
    throw new UnsupportedOperationException();
  }

  @Override
  public LoopStatus rollback(Rollback rollback) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void validateRollback(Rollback rollback) {
    throw new UnsupportedOperationException();
  }
}
