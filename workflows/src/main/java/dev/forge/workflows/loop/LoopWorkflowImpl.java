package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;

import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * The loop: prepare the work tree, then per iteration checkpoint → agent → (promise? checks), until
 * the goal is met or a limit stops it; a final checkpoint; then each gate in order. This class is
 * the orchestration; each concern has a class of its own: {@link LoopIteration} (one pass),
 * {@link LoopBudget} (cost, tokens, the cap and its raise), {@link LoopPause} (pause, resume,
 * rollback), {@link GatePassage} with {@link GateKeeper} and {@link GateVoting} (the gates), all
 * sharing one {@link LoopContext}.
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

  private final LoopContext loop = new LoopContext();
  private final LoopBudget budget = new LoopBudget(loop);
  private final LoopPause pause = new LoopPause(loop);
  private final LoopIteration iterations = new LoopIteration(loop, budget);
  private final GateKeeper gates = new GateKeeper();
  private final GatePassage gatePassage = new GatePassage(loop, gates);

  @Override
  public LoopResult run(LoopRequest request) {
    budget.start(request);
    loop.start(request);
    try {
      if (request.carry() == null) {
        pause.start();
        loop.prepare();
      } else {
        resume(request.carry());
      }
      Stop stop = iterate();
      loop.checkpoint(CheckpointKind.FINAL);
      Checkpoint last = squash(stop);
      if (stop.state() == LoopState.COMPLETED) {
        for (GateConfig gate : request.config().gates()) {
          Stop gateStop = gatePassage.pass(gate, last);
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
      throw fail(Stop.activityFailed(e));
    } catch (CanceledFailure e) {
      throw cancel(e);
    }
  }

  /** Keeps the work done so far (a final checkpoint) and records the cancellation. */
  private CanceledFailure cancel(CanceledFailure cancellation) {
    loop.enter(LoopState.CANCELLED, "cancelled");
    Workflow.newDetachedCancellationScope(
            () -> {
              if (loop.workspace() != null) {
                loop.checkpoint(CheckpointKind.FINAL);
                squash(new Stop(LoopState.CANCELLED, "cancelled"));
              }
              loop.record("loop.cancelled", "forge", loop.loopId(), Map.of());
            })
        .run();
    return cancellation;
  }

  /** Picks up a loop that continued as new. */
  private void resume(LoopCarry carry) {
    loop.resume(carry);
    pause.resume(carry);
    budget.resume(carry);
    iterations.resume(carry);
    loop.enter(LoopState.RUNNING, "continuing after iteration " + loop.iteration());
  }

  /** Iterates until an iteration or a limit stops the loop; continues as new on the way. */
  private Stop iterate() {
    iterations.start();
    int iterationsThisRun = 0;
    while (true) {
      pause.awaitResume();
      Stop limit = LoopLimits.check(loop.config(), budget.cap(), loop.iteration(), budget.spent(),
          pause.runtimeMillis());
      if (limit != null && limit.state() == LoopState.COST_CAP_REACHED && budget.awaitRaise(pause)) {
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
      IterationOutcome outcome = iterations.run();
      if (!outcome.goesOn()) {
        return outcome.stop();
      }
    }
  }

  /** Hands the loop's state to a fresh run, once every update and signal handler has finished. */
  private void continueAsNew() {
    Workflow.await(Workflow::isEveryHandlerFinished);
    List<Checkpoint> checkpoints = loop.checkpoints();
    List<IterationSummary> summaries = iterations.summaries();
    int dropCheckpoints = Math.max(0, checkpoints.size() - RECENT);
    int dropIterations = Math.max(0, summaries.size() - RECENT);
    LoopCarry next = new LoopCarry(loop.workspace(), pause.startedAt(), pause.pausedMillis(),
        loop.iteration(), budget.spent(), budget.inputTokens(), budget.outputTokens(),
        iterations.feedback(), iterations.progress(), pause.paused(),
        loop.earlierCheckpoints() + dropCheckpoints,
        checkpoints.subList(dropCheckpoints, checkpoints.size()),
        iterations.earlierIterations() + dropIterations,
        summaries.subList(dropIterations, summaries.size()), budget.cap());
    loop.record("loop.continued_as_new", "forge", loop.loopId(),
        Map.of("iteration", Integer.toString(loop.iteration())));
    Workflow.continueAsNew(loop.request().continuedWith(next));
  }

  private LoopResult finish(Stop stop, Checkpoint last) {
    if (stop.state() == LoopState.FAILED) {
      throw fail(stop);
    }
    loop.enter(stop.state(), stop.reason());
    loop.record("loop.finished", "forge", last.sha(),
        Map.of("state", stop.state().name(), "reason", stop.reason(),
            "costUsd", budget.spent().toPlainString(),
            "iterations", Integer.toString(loop.iteration())));
    return new LoopResult(stop.state(), stop.reason(), loop.iteration(), budget.spent(), last.sha());
  }

  private ApplicationFailure fail(Stop stop) {
    loop.enter(LoopState.FAILED, stop.reason());
    loop.record("loop.failed", "forge", loop.loopId(), Map.of("reason", stop.reason()));
    return ApplicationFailure.newNonRetryableFailure(stop.reason(), LOOP_FAILED);
  }

  /**
   * Squashes the branch into one commit summarising the loop (histories from before the change
   * keep the per-iteration commits on the branch). Returns the checkpoint the loop now ends on.
   */
  private Checkpoint squash(Stop stop) {
    Checkpoint last = loop.lastCheckpoint();
    if (Workflow.getVersion(SQUASH_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return last;
    }
    Checkpoint squashed = loop.workspaces().squash(SquashMessages.request(loop.request(),
        loop.workspace(), stop, loop.iteration(), budget.spent(), budget.cap(),
        iterations.earlierIterations(), iterations.summaries()));
    loop.add(squashed);
    return squashed;
  }

  @Override
  public LoopStatus status() {
    if (!loop.started()) {
      throw new IllegalStateException("the loop has not started yet; ask again in a moment");
    }
    LoopRequest request = loop.request();
    Workspace workspace = loop.workspace();
    return new LoopStatus(request.loopId(), loop.state(), loop.reason(), request.startedBy(),
        request.repository(), workspace == null ? "forge/" + request.loopId() : workspace.branch(),
        loop.iteration(), request.config().maxIterations(), budget.spent(), budget.cap(),
        budget.inputTokens(), budget.outputTokens(), gates.pending(), gates.all(),
        List.copyOf(loop.checkpoints()), List.copyOf(iterations.summaries()),
        loop.earlierCheckpoints(), iterations.earlierIterations(),
        workspace == null ? null : workspace.baseSha());
  }

  @Override
  public void validateDecision(GateDecision decision) {
    gates.validate(decision, loop.request().startedBy());
  }

  @Override
  public GateView decideGate(GateDecision decision) {
    return gates.accept(decision, Workflow.currentTimeMillis());
  }

  @Override
  public void validateCapRaise(CapRaise raise) {
    budget.validateRaise(raise);
  }

  @Override
  public LoopStatus raiseCostCap(CapRaise raise) {
    budget.raise(raise);
    return status();
  }

  @Override
  public void validateRollback(Rollback rollback) {
    pause.validateRollback(rollback);
  }

  @Override
  public LoopStatus rollback(Rollback rollback) {
    pause.rollback(rollback, iterations::restart);
    return status();
  }

  @Override
  public void pause(String by) {
    pause.pause(by);
  }

  @Override
  public void resume(String by) {
    pause.resume(by);
  }
}
