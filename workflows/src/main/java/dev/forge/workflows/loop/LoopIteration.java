package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

import static dev.forge.workflows.loop.LoopWorkflowImpl.ITERATION_AUDIT_CHANGE;
import static dev.forge.workflows.loop.LoopWorkflowImpl.NO_PROGRESS_CHANGE;
import static dev.forge.workflows.loop.LoopWorkflowImpl.SANITIZE_FEEDBACK_CHANGE;
import static dev.forge.workflows.loop.LoopWorkflowImpl.UNREPORTED_COST_CHANGE;

import dev.forge.workflows.prompt.UntrustedText;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pass of the loop, {@link #run}: checkpoint, the agent in its sandbox, its usage charged, and
 * (when it claims completion) the checks; it returns whether the loop goes on. Between passes it
 * keeps what the next one builds on: the failing checks' output for the next prompt, the
 * no-progress rules' streaks, and the iterations' summaries.
 */
final class LoopIteration {

  private final LoopContext loop;
  private final LoopBudget budget;
  private final List<IterationSummary> summaries = new ArrayList<>();
  private int earlierIterations;
  private String feedback;
  private ProgressRules progress;

  LoopIteration(LoopContext loop, LoopBudget budget) {
    this.loop = loop;
    this.budget = budget;
  }

  /** Picks up the feedback and summaries a run that continued as new handed on. */
  void resume(LoopCarry carry) {
    feedback = carry.feedback();
    earlierIterations = carry.earlierIterations();
    summaries.addAll(carry.recentIterations());
  }

  /** Before the first pass of a run: the no-progress rules, with the streaks handed on. */
  void start() {
    LoopConfig config = loop.config();
    // Loops started before the no-progress rules keep running without them.
    boolean progressRules = Workflow.getVersion(NO_PROGRESS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    LoopCarry carry = loop.request().carry();
    progress = !progressRules ? new ProgressRules(config.withoutProgressRules())
        : new ProgressRules(config, carry == null ? null : carry.progress());
  }

  /** After a rollback the agent starts again from the checkpoint: forget the abandoned work. */
  void restart() {
    feedback = null;
    progress.afterRollback();
  }

  String feedback() {
    return feedback;
  }

  LoopCarry.ProgressState progress() {
    return progress.state();
  }

  /** The summaries of this run and the recent ones handed on, oldest first (mutable, live). */
  List<IterationSummary> summaries() {
    return summaries;
  }

  int earlierIterations() {
    return earlierIterations;
  }

  /** Runs one iteration; returns whether the loop goes on. */
  IterationOutcome run() {
    LoopConfig config = loop.config();
    int iteration = loop.startIteration();
    loop.enter(LoopState.RUNNING, "iteration " + iteration + " of at most " + config.maxIterations());
    Checkpoint before = loop.checkpoint(CheckpointKind.BEFORE_ITERATION);
    Stop stuck = progress.afterCheckpoint(before, iteration);
    if (stuck != null) {
      // The agent did not run again: the iteration that was about to start does not count.
      loop.dropIteration();
      return IterationOutcome.stop(stuck);
    }
    boolean audited = Workflow.getVersion(ITERATION_AUDIT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (audited) {
      loop.record("iteration.started", "forge", before.sha(),
          Map.of("filesChangedBefore", Integer.toString(before.filesChanged())));
    }
    SandboxResult agent = runAgent(iteration);
    Usage usage = agent.usage();
    // Branch point of the change: histories without its marker counted such iterations free.
    boolean unreported = usage.unreported()
        && Workflow.getVersion(UNREPORTED_COST_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    Stop unpaid = unreported && config.unreportedCostUsd() == null ? unpaid(iteration, usage) : null;
    if (unreported && config.unreportedCostUsd() != null) {
      usage = estimated(usage, config);
    }
    budget.charge(usage);
    Boolean checksPassed = null;
    feedback = null;
    if (!agent.outcome().isFailure() && agent.promiseSeen()) {
      List<SandboxResult> results = runChecks(config.checks());
      checksPassed = results.stream().allMatch(SandboxResult::succeeded);
      feedback = checksPassed ? null : feedback(Prompts.checkFailures(config.checks(), results));
      stuck = progress.afterChecks(iteration, config.checks(), results);
    }
    summarise(new IterationSummary(iteration, before.sha(), agent.outcome(), agent.exitCode(),
        agent.promiseSeen(), checksPassed, usage.costUsd(), usage.costSource()), audited);
    return outcome(iteration, agent, checksPassed, usage, unpaid, stuck);
  }

  /** The agent, prompted with the goal and the last feedback, given what is left of the budget. */
  private SandboxResult runAgent(int iteration) {
    String prompt = Prompts.iterationPrompt(loop.request(), iteration, feedback);
    List<String> command =
        Prompts.agentCommand(loop.request(), iteration, prompt, budget.remaining());
    return loop.sandbox().run(loop.agentStep(command, loop.config().usage(), budget.remaining()));
  }

  private static Stop unpaid(int iteration, Usage usage) {
    return new Stop(LoopState.FAILED, "iteration " + iteration + ": the agent's cost report"
        + " was " + usage.costSource() + ", and an unreported iteration never counts as free;"
        + " fix the agent's usage output or set loop.agent.unreported_cost to charge an"
        + " estimate");
  }

  private static Usage estimated(Usage usage, LoopConfig config) {
    return new Usage(usage.inputTokens(), usage.cachedInputTokens(), usage.cacheWriteTokens(),
        usage.outputTokens(), config.unreportedCostUsd(), Usage.ESTIMATED, usage.model(),
        usage.priceTable());
  }

  private List<SandboxResult> runChecks(List<List<String>> checks) {
    List<SandboxResult> results = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      results.add(loop.sandbox().run(loop.step("check-" + (i + 1), checks.get(i), null)));
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
      loop.record("prompt.flagged", "forge", "check-output", Prompts.flaggedDetail(sanitized));
    }
    return Prompts.quotedCheckOutput(sanitized, Workflow.randomUUID().toString().substring(0, 8));
  }

  private void summarise(IterationSummary summary, boolean audited) {
    summaries.add(summary);
    if (audited) {
      loop.record("iteration.finished", "forge", summary.checkpointSha(), Map.of(
          "outcome", summary.outcome().name(), "exitCode", Integer.toString(summary.exitCode()),
          "promiseSeen", Boolean.toString(summary.promiseSeen()),
          "checksPassed", String.valueOf(summary.checksPassed()),
          "costUsd", summary.costUsd().toPlainString(), "costSource", summary.costSource()));
    }
  }

  /** The first of: the agent failed, the goal is met, unpaid, at the budget, no progress. */
  private IterationOutcome outcome(int iteration, SandboxResult agent, Boolean checksPassed,
      Usage usage, Stop unpaid, Stop stuck) {
    if (agent.outcome().isFailure()) {
      return IterationOutcome.stop(new Stop(LoopState.FAILED,
          "iteration " + iteration + ": the agent's sandbox ended " + agent.outcome()));
    }
    if (Boolean.TRUE.equals(checksPassed)) {
      return IterationOutcome.stop(new Stop(LoopState.COMPLETED, "goal met in iteration "
          + iteration + ": completion promise seen and " + loop.config().checks().size()
          + " check(s) passed"));
    }
    if (unpaid != null) {
      return IterationOutcome.stop(unpaid);
    }
    // Only results that carry the agent's stop reason can take this branch: histories recorded
    // before it existed replay unchanged without a getVersion marker.
    if (usage.stoppedAtBudget()) {
      return IterationOutcome.stop(budget.agentStoppedAtBudget(iteration));
    }
    return stuck == null ? IterationOutcome.GO_ON : IterationOutcome.stop(stuck);
  }
}
