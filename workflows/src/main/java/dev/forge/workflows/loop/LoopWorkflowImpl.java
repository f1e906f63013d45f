package dev.forge.workflows.loop;

import dev.forge.workflows.audit.AuditActivities;
import dev.forge.workflows.audit.AuditRecord;
import dev.forge.workflows.audit.UsageRecord;
import dev.forge.workflows.prompt.UntrustedText;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.workflows.sandbox.UsageFormat;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import dev.forge.workflows.workspace.WorkspaceActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop: prepare the work tree, then per iteration checkpoint → agent → (promise? checks), until
 * the goal is met or a limit stops it; a final checkpoint; then each gate in order.
 */
public class LoopWorkflowImpl implements LoopWorkflow {

  /** Failure type of a loop that ended FAILED. */
  public static final String LOOP_FAILED = "LoopFailed";
  /** Change id of the no-progress rules (version 1); histories without its marker run without. */
  static final String NO_PROGRESS_CHANGE = "no-progress";
  /** Change id of charging or stopping on unreported cost (version 1). */
  static final String UNREPORTED_COST_CHANGE = "unreported-cost";
  /** Change id of the iteration.started / iteration.finished audit entries (version 1). */
  static final String ITERATION_AUDIT_CHANGE = "iteration-audit";
  /** Change id of squashing the branch when the loop stops iterating (version 1). */
  static final String SQUASH_CHANGE = "squash";
  /**
   * Change id of gates with N approvals, reminders and escalation (version 1: a gate waits in
   * steps, writing a {@code gate.approval} entry per approval, a {@code gate.reminder} entry per
   * reminder and a {@code gate.escalated} entry when it escalates).
   */
  static final String GATE_VOTES_CHANGE = "gate-votes";
  /**
   * Change id of sanitizing check output before it is fed back (version 1: hidden characters and
   * terminal sequences removed, the output quoted as data, a {@code prompt.flagged} audit entry
   * when it looks like steering).
   */
  static final String SANITIZE_FEEDBACK_CHANGE = "sanitize-feedback";
  /** Change id of continuing as new (version 1). */
  static final String CONTINUE_AS_NEW_CHANGE = "continue-as-new";
  /** A run continues as new after this many iterations, so no run's history grows unbounded. */
  static final int ITERATIONS_PER_RUN = 100;
  /** How many checkpoints and iteration summaries a run hands on and the status query shows. */
  static final int RECENT = 100;

  private final WorkspaceActivities workspaces =
      Workflow.newActivityStub(WorkspaceActivities.class, LoopActivityOptions.workspace());
  private final AuditActivities audit =
      Workflow.newActivityStub(AuditActivities.class, LoopActivityOptions.audit());
  private final GateKeeper gates = new GateKeeper();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private final List<IterationSummary> iterations = new ArrayList<>();

  private LoopRequest request;
  private SandboxActivities sandbox;
  private Workspace workspace;
  private LoopState state = LoopState.STARTING;
  private String reason = "starting";
  private int iteration;
  private BigDecimal costUsd = BigDecimal.ZERO;
  private long inputTokens;
  private long outputTokens;
  private long startedAt;
  private long pausedMillis;
  private boolean paused;
  private boolean rollingBack;
  private String pausedBy;
  private String resumedBy;
  private String feedback;
  private ProgressRules progress;
  private int earlierCheckpoints;
  private int earlierIterations;
  private BigDecimal costCapUsd;

  @Override
  public LoopResult run(LoopRequest loopRequest) {
    request = loopRequest;
    costCapUsd = loopRequest.carry() != null && loopRequest.carry().costCapUsd() != null
        ? loopRequest.carry().costCapUsd()
        : loopRequest.config().costCapUsd();
    sandbox =
        Workflow.newActivityStub(
            SandboxActivities.class,
            LoopActivityOptions.sandbox(loopRequest.config().sandbox().limits()));
    try {
      if (request.carry() == null) {
        startedAt = Workflow.currentTimeMillis();
        enter(LoopState.RUNNING, "preparing the work tree");
        workspace = workspaces.prepare(request.loopId(), request.repository(),
            request.config().sandbox().limits().diskBytes());
        record("loop.started", request.startedBy(), workspace.branch(),
            Map.of("repository", request.repository(), "baseSha", workspace.baseSha()));
      } else {
        resume(request.carry());
      }
      Stop stop = iterate();
      checkpoint(CheckpointKind.FINAL);
      Checkpoint last = squash(stop);
      if (stop.state() == LoopState.COMPLETED) {
        for (GateConfig gate : request.config().gates()) {
          Stop gateStop = passGate(gate, last);
          if (gateStop != null) {
            return finish(gateStop, last);
          }
        }
      }
      return finish(stop, last);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure cancelled) {
        throw cancel(cancelled);
      }
      throw fail(new Stop(LoopState.FAILED, describe(e)));
    } catch (CanceledFailure e) {
      throw cancel(e);
    }
  }

  /** Keeps the work done so far (a final checkpoint) and records the cancellation. */
  private CanceledFailure cancel(CanceledFailure cancellation) {
    enter(LoopState.CANCELLED, "cancelled");
    Workflow.newDetachedCancellationScope(
            () -> {
              if (workspace != null) {
                checkpoint(CheckpointKind.FINAL);
                squash(new Stop(LoopState.CANCELLED, "cancelled"));
              }
              record("loop.cancelled", "forge", request.loopId(), Map.of());
            })
        .run();
    return cancellation;
  }

  /** Picks up a loop that continued as new. */
  private void resume(LoopCarry carry) {
    workspace = carry.workspace();
    startedAt = carry.startedAtMillis();
    pausedMillis = carry.pausedMillis();
    iteration = carry.iteration();
    costUsd = carry.costUsd();
    inputTokens = carry.inputTokens();
    outputTokens = carry.outputTokens();
    feedback = carry.feedback();
    paused = carry.paused();
    earlierCheckpoints = carry.earlierCheckpoints();
    checkpoints.addAll(carry.recentCheckpoints());
    earlierIterations = carry.earlierIterations();
    iterations.addAll(carry.recentIterations());
    enter(LoopState.RUNNING, "continuing after iteration " + iteration);
  }

  private Stop iterate() {
    LoopConfig config = request.config();
    // Loops started before the no-progress rules keep running without them.
    boolean progressRules = Workflow.getVersion(NO_PROGRESS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    LoopCarry carry = request.carry();
    progress = !progressRules ? new ProgressRules(config.withoutProgressRules())
        : new ProgressRules(config, carry == null ? null : carry.progress());
    int iterationsThisRun = 0;
    while (true) {
      awaitResume();
      Stop limit = LoopLimits.check(config, costCapUsd, iteration, costUsd,
          Workflow.currentTimeMillis() - startedAt - pausedMillis);
      if (limit != null && limit.state() == LoopState.COST_CAP_REACHED && awaitCapRaise()) {
        continue;
      }
      if (limit != null) {
        return limit;
      }
      if ((iterationsThisRun >= ITERATIONS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested())
          && Workflow.getVersion(CONTINUE_AS_NEW_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        continueAsNew();
      }
      iterationsThisRun++;
      iteration++;
      enter(LoopState.RUNNING, "iteration " + iteration + " of at most " + config.maxIterations());
      Checkpoint before = checkpoint(CheckpointKind.BEFORE_ITERATION);
      Stop stuck = progress.afterCheckpoint(before, iteration);
      if (stuck != null) {
        // The agent did not run again: the iteration that was about to start does not count.
        iteration--;
        return stuck;
      }
      boolean auditIterations =
          Workflow.getVersion(ITERATION_AUDIT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
      if (auditIterations) {
        record("iteration.started", "forge", before.sha(),
            Map.of("filesChangedBefore", Integer.toString(before.filesChanged())));
      }
      String prompt = Prompts.iterationPrompt(request, iteration, feedback);
      List<String> command =
          Prompts.agentCommand(request, iteration, prompt, costCapUsd.subtract(costUsd));
      SandboxResult agent = sandbox.run(step("agent", command, config.usage()));
      Usage usage = agent.usage();
      Stop unpaid = null;
      // Branch point of the change: histories without its marker counted such iterations free.
      if (usage.unreported()
          && Workflow.getVersion(UNREPORTED_COST_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        if (config.unreportedCostUsd() == null) {
          unpaid = new Stop(LoopState.FAILED, "iteration " + iteration + ": the agent's cost report"
              + " was " + usage.costSource() + ", and an unreported iteration never counts as free;"
              + " fix the agent's usage output or set loop.agent.unreported_cost to charge an"
              + " estimate");
        } else {
          usage = new Usage(usage.inputTokens(), usage.cachedInputTokens(),
              usage.cacheWriteTokens(), usage.outputTokens(), config.unreportedCostUsd(),
              Usage.ESTIMATED, usage.model(), usage.priceTable());
        }
      }
      account(usage);
      Boolean checksPassed = null;
      feedback = null;
      if (!agent.outcome().isFailure() && agent.promiseSeen()) {
        List<SandboxResult> results = runChecks(config.checks());
        checksPassed = results.stream().allMatch(SandboxResult::succeeded);
        feedback = checksPassed ? null : feedback(Prompts.checkFailures(config.checks(), results));
        stuck = progress.afterChecks(iteration, config.checks(), results);
      }
      IterationSummary summary = new IterationSummary(iteration, before.sha(), agent.outcome(),
          agent.exitCode(), agent.promiseSeen(), checksPassed, usage.costUsd(), usage.costSource());
      iterations.add(summary);
      if (auditIterations) {
        record("iteration.finished", "forge", before.sha(), Map.of(
            "outcome", summary.outcome().name(), "exitCode", Integer.toString(summary.exitCode()),
            "promiseSeen", Boolean.toString(summary.promiseSeen()),
            "checksPassed", String.valueOf(summary.checksPassed()),
            "costUsd", summary.costUsd().toPlainString(), "costSource", summary.costSource()));
      }
      if (agent.outcome().isFailure()) {
        return new Stop(LoopState.FAILED,
            "iteration " + iteration + ": the agent's sandbox ended " + agent.outcome());
      }
      if (Boolean.TRUE.equals(checksPassed)) {
        return new Stop(LoopState.COMPLETED, "goal met in iteration " + iteration
            + ": completion promise seen and " + config.checks().size() + " check(s) passed");
      }
      if (unpaid != null) {
        return unpaid;
      }
      // Only results that carry the agent's stop reason can take this branch: histories recorded
      // before it existed replay unchanged without a getVersion marker.
      if (usage.stoppedAtBudget()) {
        return new Stop(LoopState.COST_CAP_REACHED, "iteration " + iteration + ": the agent"
            + " stopped at the budget Forge passed it; $" + costUsd.toPlainString() + " of the $"
            + costCapUsd.toPlainString() + " cap spent");
      }
      if (stuck != null) {
        return stuck;
      }
    }
  }

  /** Between iterations: waits while the loop is paused (cancellation still ends it). */
  private void awaitResume() {
    if (!paused) {
      return;
    }
    long since = Workflow.currentTimeMillis();
    enter(LoopState.PAUSED, "paused by " + pausedBy + " after iteration " + iteration);
    record("loop.paused", pausedBy, request.loopId(), Map.of());
    Workflow.await(() -> !paused && !rollingBack);
    pausedMillis += Workflow.currentTimeMillis() - since;
    record("loop.resumed", resumedBy, request.loopId(), Map.of());
    enter(LoopState.RUNNING, "resumed after iteration " + iteration);
  }

  /**
   * At the cost cap, with {@code cost_cap_wait} set: waits, PAUSED, for an approver to raise the
   * cap; the time waited does not count against {@code max_runtime}. No {@code getVersion} is
   * needed: histories recorded before the wait existed have no wait in their config.
   *
   * @return whether the cap was raised, so the loop goes on
   */
  private boolean awaitCapRaise() {
    long wait = request.config().costCapWaitSeconds();
    if (wait <= 0) {
      return false;
    }
    BigDecimal reached = costCapUsd;
    long since = Workflow.currentTimeMillis();
    enter(LoopState.PAUSED, "cost cap $" + reached.toPlainString() + " reached after iteration "
        + iteration + " ($" + costUsd.toPlainString() + " spent); waiting up to " + wait
        + " s for an approver to raise it");
    record("cost_cap.reached", "forge", request.loopId(), Map.of("costUsd", costUsd.toPlainString(),
        "costCapUsd", reached.toPlainString(), "waitSeconds", Long.toString(wait)));
    boolean raised = Workflow.await(Duration.ofSeconds(wait),
        () -> costCapUsd.compareTo(reached) > 0 && !rollingBack);
    pausedMillis += Workflow.currentTimeMillis() - since;
    if (raised) {
      enter(LoopState.RUNNING, "cost cap raised to $" + costCapUsd.toPlainString());
    }
    return raised;
  }

  /** Hands the loop's state to a fresh run, once every update and signal handler has finished. */
  private void continueAsNew() {
    Workflow.await(Workflow::isEveryHandlerFinished);
    int dropCheckpoints = Math.max(0, checkpoints.size() - RECENT);
    int dropIterations = Math.max(0, iterations.size() - RECENT);
    LoopCarry next = new LoopCarry(workspace, startedAt, pausedMillis, iteration, costUsd,
        inputTokens, outputTokens, feedback, progress.state(), paused,
        earlierCheckpoints + dropCheckpoints,
        checkpoints.subList(dropCheckpoints, checkpoints.size()),
        earlierIterations + dropIterations,
        iterations.subList(dropIterations, iterations.size()), costCapUsd);
    record("loop.continued_as_new", "forge", request.loopId(),
        Map.of("iteration", Integer.toString(iteration)));
    Workflow.continueAsNew(request.continuedWith(next));
  }

  private List<SandboxResult> runChecks(List<List<String>> checks) {
    List<SandboxResult> results = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      results.add(sandbox.run(step("check-" + (i + 1), checks.get(i), null)));
    }
    return results;
  }

  /**
   * The failing checks' output as the next prompt will quote it: sanitized, between marker lines,
   * and audited as {@code prompt.flagged} when it looks like an attempt to steer the agent (the
   * output of code the agent wrote, or of anything that code read, is not trusted).
   */
  private String feedback(String checkOutput) {
    if (Workflow.getVersion(SANITIZE_FEEDBACK_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return checkOutput;
    }
    UntrustedText.Sanitized sanitized = UntrustedText.sanitize(checkOutput, UntrustedText.Source.PLAIN);
    if (sanitized.suspicious()) {
      record("prompt.flagged", "forge", "check-output", Prompts.flaggedDetail(sanitized));
    }
    return Prompts.quotedCheckOutput(sanitized, Workflow.randomUUID().toString().substring(0, 8));
  }

  /** Returns how the loop ends when the gate stops it, or {@code null} when it passed. */
  private Stop passGate(GateConfig gate, Checkpoint last) {
    gates.open(gate, last.sha(), Workflow.currentTimeMillis());
    enter(LoopState.AWAITING_APPROVAL, "waiting for a decision on gate '" + gate.name() + "'");
    record("gate.requested", "forge", gate.name(), Map.of("checkpoint", last.sha(),
        "approvers", String.join(",", gate.approvers()),
        "timeoutSeconds", Long.toString(gate.timeoutSeconds())));
    // Histories recorded before the change waited in one step for one decision.
    if (Workflow.getVersion(GATE_VOTES_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      new GateVoting(gates, this::record).await(gate);
    } else {
      Workflow.await(Duration.ofSeconds(gate.timeoutSeconds()), gates::hasDecision);
    }
    long waited = gate.timeoutSeconds() + (gates.pending().escalated()
        ? gate.escalationTimeoutSeconds() : 0);
    GateView closed = gates.close("no decision within " + waited + " s");
    String actor = closed.decidedBy() == null ? "forge" : closed.decidedBy();
    record(GateView.TIMED_OUT.equals(closed.state()) ? "gate.timed_out" : "gate.decided", actor,
        gate.name(), Map.of("decision", closed.state(), "checkpoint", last.sha(),
            "comment", closed.comment() == null ? "" : closed.comment()));
    if (!GateView.APPROVED.equals(closed.state())) {
      String why = "gate '" + gate.name() + "' " + closed.state().toLowerCase().replace('_', ' ')
          + (closed.decidedBy() == null ? "" : " by " + closed.decidedBy());
      workspaces.reset(new ResetRequest(workspace, last.sha(), why));
      return new Stop(LoopState.REJECTED, why + "; work tree reset to checkpoint " + last.sha());
    }
    enter(LoopState.RUNNING_GATE, "running gate '" + gate.name() + "'");
    for (int i = 0; i < gate.run().size(); i++) {
      String name = "gate-" + gate.name() + "-" + (i + 1);
      SandboxResult result = sandbox.run(step(name, gate.run().get(i), null));
      if (!result.succeeded()) {
        return new Stop(LoopState.FAILED, "gate '" + gate.name() + "' command " + (i + 1)
            + " failed: " + result.outcome() + " exit " + result.exitCode());
      }
    }
    return null;
  }

  private LoopResult finish(Stop stop, Checkpoint last) {
    if (stop.state() == LoopState.FAILED) {
      throw fail(stop);
    }
    enter(stop.state(), stop.reason());
    record("loop.finished", "forge", last.sha(),
        Map.of("state", stop.state().name(), "reason", stop.reason(),
            "costUsd", costUsd.toPlainString(), "iterations", Integer.toString(iteration)));
    return new LoopResult(stop.state(), stop.reason(), iteration, costUsd, last.sha());
  }

  private ApplicationFailure fail(Stop stop) {
    enter(LoopState.FAILED, stop.reason());
    record("loop.failed", "forge", request.loopId(), Map.of("reason", stop.reason()));
    return ApplicationFailure.newNonRetryableFailure(stop.reason(), LOOP_FAILED);
  }

  private Checkpoint checkpoint(CheckpointKind kind) {
    Checkpoint checkpoint =
        workspaces.checkpoint(new CheckpointRequest(workspace, iteration, kind));
    checkpoints.add(checkpoint);
    return checkpoint;
  }

  /**
   * Squashes the branch into one commit summarising the loop (histories from before the change
   * keep the per-iteration commits on the branch). Returns the checkpoint the loop now ends on.
   */
  private Checkpoint squash(Stop stop) {
    Checkpoint last = checkpoints.get(checkpoints.size() - 1);
    if (Workflow.getVersion(SQUASH_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return last;
    }
    Checkpoint squashed = workspaces.squash(SquashMessages.request(request, workspace, stop,
        iteration, costUsd, costCapUsd, earlierIterations, iterations));
    checkpoints.add(squashed);
    return squashed;
  }

  private SandboxStep step(String name, List<String> command, UsageFormat usage) {
    boolean isAgent = usage != null;
    return new SandboxStep(request.loopId(), iteration, name, workspace.path(), command,
        request.config().sandbox(), usage, isAgent ? request.config().completionPromise() : null);
  }

  private void account(Usage usage) {
    costUsd = costUsd.add(usage.costUsd());
    inputTokens += usage.inputTokens() + usage.cachedInputTokens();
    outputTokens += usage.outputTokens();
    audit.recordUsage(new UsageRecord(request.loopId(), iteration, usage, costUsd, costCapUsd));
  }

  private void record(String action, String actor, String target, Map<String, String> detail) {
    String key = action + ":" + iteration + ":" + Workflow.getInfo().getRunId() + ":"
        + Workflow.randomUUID();
    audit.record(new AuditRecord(key, request.loopId(), iteration, actor, action, target,
        new LinkedHashMap<>(detail)));
  }

  private void enter(LoopState newState, String why) {
    state = newState;
    reason = why;
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String message = cause instanceof ApplicationFailure app ? app.getOriginalMessage()
        : cause != null ? cause.getMessage() : failure.getMessage();
    return failure.getActivityType() + " failed: " + message;
  }

  @Override
  public LoopStatus status() {
    if (request == null) {
      throw new IllegalStateException("the loop has not started yet; ask again in a moment");
    }
    LoopConfig config = request.config();
    return new LoopStatus(request.loopId(), state, reason, request.startedBy(),
        request.repository(), workspace == null ? "forge/" + request.loopId() : workspace.branch(),
        iteration, config.maxIterations(), costUsd, costCapUsd, inputTokens, outputTokens,
        gates.pending(), gates.all(), List.copyOf(checkpoints), List.copyOf(iterations),
        earlierCheckpoints, earlierIterations, workspace == null ? null : workspace.baseSha());
  }

  @Override
  public void validateDecision(GateDecision decision) {
    gates.validate(decision, request.startedBy());
  }

  @Override
  public GateView decideGate(GateDecision decision) {
    return gates.accept(decision, Workflow.currentTimeMillis());
  }

  @Override
  public void validateCapRaise(CapRaise raise) {
    if (request == null || state.isTerminal() || state == LoopState.AWAITING_APPROVAL
        || state == LoopState.RUNNING_GATE) {
      throw new UpdateRefused.Conflict("the cost cap can only be raised while the loop"
          + " iterates; it is " + (request == null ? "starting" : state.name()));
    }
    if (raise.by() == null || raise.by().equals(request.startedBy())) {
      throw new UpdateRefused.Forbidden(raise.by() + " started this loop and may not raise"
          + " its cost cap; another approver must");
    }
    if (raise.costCapUsd() == null || raise.costCapUsd().compareTo(costCapUsd) <= 0) {
      throw new UpdateRefused.Conflict("the new cap must be above the current $"
          + costCapUsd.toPlainString());
    }
  }

  @Override
  public LoopStatus raiseCostCap(CapRaise raise) {
    BigDecimal before = costCapUsd;
    costCapUsd = raise.costCapUsd();
    record("cost_cap.raised", raise.by(), request.loopId(), Map.of("from", before.toPlainString(),
        "to", costCapUsd.toPlainString(), "reason", raise.reason() == null ? "" : raise.reason()));
    return status();
  }

  @Override
  public void validateRollback(Rollback rollback) {
    if (request == null || state != LoopState.PAUSED || rollingBack) {
      throw new UpdateRefused.Conflict("a loop is rolled back while it is paused between"
          + " iterations; it is " + (request == null ? "starting" : state.name())
          + (rollingBack ? " and rolling back already" : "") + ": pause it first");
    }
    String sha = rollback.checkpointSha();
    boolean known = sha != null && (sha.equals(workspace.baseSha())
        || checkpoints.stream().anyMatch(c -> c.sha().equals(sha)));
    if (!known) {
      throw new UpdateRefused.Conflict("'" + sha + "' is not one of this loop's last "
          + checkpoints.size() + " checkpoints or its base " + workspace.baseSha()
          + "; GET the loop's status for their shas");
    }
  }

  @Override
  public LoopStatus rollback(Rollback rollback) {
    rollingBack = true;
    try {
      String from = checkpoints.get(checkpoints.size() - 1).sha();
      String why = "rolled back by " + rollback.by()
          + (rollback.reason() == null || rollback.reason().isBlank() ? "" : ": " + rollback.reason());
      workspaces.reset(new ResetRequest(workspace, rollback.checkpointSha(), why));
      record("loop.rolled_back", rollback.by(), rollback.checkpointSha(), Map.of("from", from,
          "reason", rollback.reason() == null ? "" : rollback.reason()));
      // The agent starts again from the checkpoint: feedback on the abandoned work no longer fits.
      feedback = null;
      progress.afterRollback();
      reason = "paused by " + pausedBy + "; rolled back to " + rollback.checkpointSha() + " by "
          + rollback.by();
      return status();
    } finally {
      rollingBack = false;
    }
  }

  @Override
  public void pause(String by) {
    if (!state.isTerminal()) {
      paused = true;
      pausedBy = by;
    }
  }

  @Override
  public void resume(String by) {
    if (paused) {
      paused = false;
      resumedBy = by;
    }
  }
}
