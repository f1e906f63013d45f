package dev.forge.workflows.loop;

import dev.forge.spec.loop.AgentModel;
import dev.forge.spec.loop.LoopConfig;

import dev.forge.workflows.audit.AuditActivities;
import dev.forge.workflows.audit.AuditRecord;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.spec.sandbox.UsageFormat;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.Workspace;
import dev.forge.workflows.workspace.WorkspaceActivities;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every part of one loop run shares: its request, work tree and checkpoints, the state the
 * status query shows, the iteration counter, and the activity stubs. Workflow code only: it lives
 * in the workflow's thread, created with the {@link LoopWorkflowImpl} that owns it.
 */
final class LoopContext {

  private final WorkspaceActivities workspaces =
      Workflow.newActivityStub(WorkspaceActivities.class, LoopActivityOptions.workspace());
  private final AuditActivities audit =
      Workflow.newActivityStub(AuditActivities.class, LoopActivityOptions.audit());
  private final List<Checkpoint> checkpoints = new ArrayList<>();

  private LoopRequest request;
  private SandboxActivities sandbox;
  private Workspace workspace;
  private LoopState state = LoopState.STARTING;
  private String reason = "starting";
  private int iteration;
  private int earlierCheckpoints;

  /** Takes the run's request; the sandbox stub's timeouts follow its limits. */
  void start(LoopRequest loopRequest) {
    request = loopRequest;
    sandbox = Workflow.newActivityStub(SandboxActivities.class,
        LoopActivityOptions.sandbox(loopRequest.config().sandbox().limits()));
  }

  /** Picks up the checkpoints and counters a run that continued as new handed on. */
  void resume(LoopCarry carry) {
    workspace = carry.workspace();
    iteration = carry.iteration();
    earlierCheckpoints = carry.earlierCheckpoints();
    checkpoints.addAll(carry.recentCheckpoints());
  }

  /** Whether {@link #start} has run: updates and queries may arrive before it. */
  boolean started() {
    return request != null;
  }

  LoopRequest request() {
    return request;
  }

  LoopConfig config() {
    return request.config();
  }

  String loopId() {
    return request.loopId();
  }

  WorkspaceActivities workspaces() {
    return workspaces;
  }

  AuditActivities audit() {
    return audit;
  }

  SandboxActivities sandbox() {
    return sandbox;
  }

  Workspace workspace() {
    return workspace;
  }

  /** A fresh loop (not one that continued as new): prepares its work tree, audits the start. */
  void prepare() {
    enter(LoopState.RUNNING, "preparing the work tree");
    workspace = workspaces.prepare(request.loopId(), request.repository(),
        request.config().sandbox().limits().diskBytes());
    record("loop.started", request.startedBy(), workspace.branch(),
        Map.of("repository", request.repository(), "baseSha", workspace.baseSha()));
  }

  LoopState state() {
    return state;
  }

  String reason() {
    return reason;
  }

  int iteration() {
    return iteration;
  }

  /** Counts the iteration about to start; returns its number. */
  int startIteration() {
    return ++iteration;
  }

  /** The iteration that was about to start does not count after all (its agent did not run). */
  void dropIteration() {
    iteration--;
  }

  void enter(LoopState newState, String why) {
    state = newState;
    reason = why;
  }

  /** Says why the loop is where it is, without moving it. */
  void explain(String why) {
    reason = why;
  }

  Checkpoint checkpoint(CheckpointKind kind) {
    Checkpoint checkpoint =
        workspaces.checkpoint(new CheckpointRequest(workspace, iteration, kind));
    checkpoints.add(checkpoint);
    return checkpoint;
  }

  /** Adds a checkpoint an activity other than {@code checkpoint} made (the squash). */
  void add(Checkpoint checkpoint) {
    checkpoints.add(checkpoint);
  }

  /** The checkpoints of this run and the recent ones handed on, oldest first (mutable, live). */
  List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  Checkpoint lastCheckpoint() {
    return checkpoints.get(checkpoints.size() - 1);
  }

  int earlierCheckpoints() {
    return earlierCheckpoints;
  }

  static final String MODEL_GATEWAY_CHANGE = "model-gateway";

  SandboxStep step(String name, List<String> command, UsageFormat usage) {
    boolean isAgent = usage != null;
    return new SandboxStep(request.loopId(), iteration, name, workspace.path(), command,
        request.config().sandbox(), usage, isAgent ? request.config().completionPromise() : null);
  }

  /**
   * The agent's step. With a model provider its sandbox reaches the model through Forge's gateway,
   * which may spend at most {@code budget} on the step's calls.
   */
  SandboxStep agentStep(List<String> command, UsageFormat usage, BigDecimal budget) {
    AgentModel model = request.config().model();
    // Loops without a model provider (every loop recorded before the gateway) schedule the same
    // step as before; the marker records that a loop with one took this branch.
    if (model == null
        || Workflow.getVersion(MODEL_GATEWAY_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return step("agent", command, usage);
    }
    return new SandboxStep(request.loopId(), iteration, "agent", workspace.path(), command,
        request.config().sandbox(), usage, request.config().completionPromise(), model, budget);
  }

  /** Writes one audit entry, keyed per action, iteration and run so a retried write is a no-op. */
  void record(String action, String actor, String target, Map<String, String> detail) {
    String key = action + ":" + iteration + ":" + Workflow.getInfo().getRunId() + ":"
        + Workflow.randomUUID();
    audit.record(new AuditRecord(key, request.loopId(), iteration, actor, action, target,
        new LinkedHashMap<>(detail)));
  }
}
