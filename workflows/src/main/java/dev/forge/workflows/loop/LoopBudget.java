package dev.forge.workflows.loop;

import dev.forge.workflows.audit.UsageRecord;
import dev.forge.workflows.sandbox.Usage;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * The loop's money: cost and tokens spent, the cost cap in force, an approver's raise of it (the
 * {@code raiseCostCap} update and its validation) and the wait at the cap for one. The workflow
 * asks it; the waiting happens in the workflow's thread.
 */
final class LoopBudget {

  private final LoopContext loop;
  private BigDecimal costUsd = BigDecimal.ZERO;
  private long inputTokens;
  private long outputTokens;
  private BigDecimal costCapUsd;

  LoopBudget(LoopContext loop) {
    this.loop = loop;
  }

  /** The cap in force: the one a run that continued as new handed on, or the configured one. */
  void start(LoopRequest request) {
    costCapUsd = request.carry() != null && request.carry().costCapUsd() != null
        ? request.carry().costCapUsd()
        : request.config().costCapUsd();
  }

  /** Picks up what a run that continued as new had spent. */
  void resume(LoopCarry carry) {
    costUsd = carry.costUsd();
    inputTokens = carry.inputTokens();
    outputTokens = carry.outputTokens();
  }

  BigDecimal spent() {
    return costUsd;
  }

  BigDecimal cap() {
    return costCapUsd;
  }

  /** What the agent may still spend: the budget Forge passes it. */
  BigDecimal remaining() {
    return costCapUsd.subtract(costUsd);
  }

  long inputTokens() {
    return inputTokens;
  }

  long outputTokens() {
    return outputTokens;
  }

  /** Adds an iteration's usage and writes it to the ledger. */
  void charge(Usage usage) {
    costUsd = costUsd.add(usage.costUsd());
    inputTokens += usage.inputTokens() + usage.cachedInputTokens();
    outputTokens += usage.outputTokens();
    loop.audit().recordUsage(
        new UsageRecord(loop.loopId(), loop.iteration(), usage, costUsd, costCapUsd));
  }

  /** How the loop ends when the agent stopped at the budget it was given. */
  Stop agentStoppedAtBudget(int iteration) {
    return new Stop(LoopState.COST_CAP_REACHED, "iteration " + iteration + ": the agent"
        + " stopped at the budget Forge passed it; $" + costUsd.toPlainString() + " of the $"
        + costCapUsd.toPlainString() + " cap spent");
  }

  /**
   * At the cost cap, with {@code cost_cap_wait} set: waits, PAUSED, for an approver to raise the
   * cap; the time waited does not count against {@code max_runtime}. No {@code getVersion} is
   * needed: histories recorded before the wait existed have no wait in their config.
   *
   * @return whether the cap was raised, so the loop goes on
   */
  boolean awaitRaise(LoopPause pause) {
    long wait = loop.config().costCapWaitSeconds();
    if (wait <= 0) {
      return false;
    }
    BigDecimal reached = costCapUsd;
    long since = Workflow.currentTimeMillis();
    loop.enter(LoopState.PAUSED, "cost cap $" + reached.toPlainString() + " reached after"
        + " iteration " + loop.iteration() + " ($" + costUsd.toPlainString() + " spent); waiting up"
        + " to " + wait + " s for an approver to raise it");
    loop.record("cost_cap.reached", "forge", loop.loopId(), Map.of(
        "costUsd", costUsd.toPlainString(), "costCapUsd", reached.toPlainString(),
        "waitSeconds", Long.toString(wait)));
    boolean raised = Workflow.await(Duration.ofSeconds(wait),
        () -> costCapUsd.compareTo(reached) > 0 && !pause.rollingBack());
    pause.addPaused(Workflow.currentTimeMillis() - since);
    if (raised) {
      loop.enter(LoopState.RUNNING, "cost cap raised to $" + costCapUsd.toPlainString());
    }
    return raised;
  }

  /** Throws the {@link UpdateRefused} failure naming the rule the raise breaks. */
  void validateRaise(CapRaise raise) {
    LoopState state = loop.state();
    if (!loop.started() || state.isTerminal() || state == LoopState.AWAITING_APPROVAL
        || state == LoopState.RUNNING_GATE) {
      throw UpdateRefused.conflict("the cost cap can only be raised while the loop"
          + " iterates; it is " + (!loop.started() ? "starting" : state.name()));
    }
    if (raise.by() == null || raise.by().equals(loop.request().startedBy())) {
      throw UpdateRefused.forbidden(raise.by() + " started this loop and may not raise"
          + " its cost cap; another approver must");
    }
    if (raise.costCapUsd() == null || raise.costCapUsd().compareTo(costCapUsd) <= 0) {
      throw UpdateRefused.conflict("the new cap must be above the current $"
          + costCapUsd.toPlainString());
    }
  }

  /** Puts a validated raise in force and audits it. */
  void raise(CapRaise raise) {
    BigDecimal before = costCapUsd;
    costCapUsd = raise.costCapUsd();
    loop.record("cost_cap.raised", raise.by(), loop.loopId(), Map.of(
        "from", before.toPlainString(), "to", costCapUsd.toPlainString(),
        "reason", raise.reason() == null ? "" : raise.reason()));
  }
}
