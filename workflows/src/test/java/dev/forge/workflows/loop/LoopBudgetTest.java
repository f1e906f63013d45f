package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

import static dev.forge.workflows.loop.LoopFixtures.APPROVER;
import static dev.forge.workflows.loop.LoopFixtures.DAY_SECONDS;
import static dev.forge.workflows.loop.LoopFixtures.STARTER;
import static dev.forge.workflows.loop.LoopFixtures.agent;
import static dev.forge.workflows.loop.LoopFixtures.command;
import static dev.forge.workflows.loop.LoopFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.Usage;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The loop's money ({@link LoopBudget}): the cost cap and what is left of it, unreported cost, the
 * wait at the cap and an approver's raise.
 */
class LoopBudgetTest extends LoopWorkflowTestSupport {

  @Test
  void shouldStopAtCostCapOvershootingByAtMostOneIteration() {
    script(s -> agent(false, "0.40"));

    LoopResult result = run(config(20, "1.00", List.of()));

    assertThat(result.state()).isEqualTo(LoopState.COST_CAP_REACHED);
    assertThat(result.iterations()).isEqualTo(3);
    assertThat(result.costUsd()).isEqualByComparingTo("1.20")
        .isLessThan(new BigDecimal("1.00").add(new BigDecimal("0.40")));
    verify(audit, atLeastOnce()).recordUsage(any());
  }

  @Test
  void shouldPassWhatIsLeftOfTheCostCapToTheAgent() {
    // given an agent that can stop itself at a budget, and spends a quarter of the cap each time
    LoopConfig base = config(3, "1.00", List.of());
    LoopConfig budgeted = new LoopConfig(
        List.of("claude", "-p", "{prompt}", "--max-budget-usd", "{budget_usd}"), base.usage(),
        base.completionPromise(), base.checks(), base.maxIterations(), base.maxRuntimeSeconds(),
        base.costCapUsd(), base.sandbox(), base.gates());
    script(s -> agent(false, "0.25"));

    // when
    run(budgeted);

    // then each iteration was told the remaining budget
    assertThat(steps).extracting(s -> s.command().get(4)).containsExactly("1.00", "0.75", "0.50");
  }

  @Test
  void shouldStopRatherThanCountAnUnreportedIterationAsFree() {
    // given an agent whose output holds no usage report
    script(s -> new SandboxResult("agent", SandboxOutcome.EXITED, 0, 10, "working", false, false,
        Usage.none(Usage.MISSING)));

    // then the loop fails after the first iteration, saying why
    assertThatThrownBy(() -> run(config(5, "1.00", List.of())))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .hasMessageContaining("the agent's cost report was missing")
        .hasMessageContaining("loop.agent.unreported_cost");
    assertThat(steps).hasSize(1);
  }

  @Test
  void shouldChargeTheStatedEstimateForAnUnreportedIteration() {
    // given an agent that reports nothing, and a config that charges 0.40 for such an iteration
    script(s -> new SandboxResult("agent", SandboxOutcome.EXITED, 0, 10, "working", false, false,
        Usage.none(Usage.MALFORMED)));
    LoopConfig c = config(10, "1.00", List.of());
    LoopConfig estimating = new LoopConfig(c.agentCommand(), c.usage(), c.completionPromise(),
        c.checks(), c.maxIterations(), c.maxRuntimeSeconds(), c.costCapUsd(), c.sandbox(),
        c.gates(), 0, 0, new BigDecimal("0.40"));

    // when
    LoopWorkflow loop = start(estimating);
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    // then the cap stops it after three estimated iterations (1.20 >= 1.00)
    assertThat(result.state()).isEqualTo(LoopState.COST_CAP_REACHED);
    assertThat(result.iterations()).isEqualTo(3);
    assertThat(result.costUsd()).isEqualByComparingTo("1.20");
    assertThat(loop.status().iterations())
        .allSatisfy(i -> assertThat(i.costSource()).isEqualTo(Usage.ESTIMATED));
  }

  @Test
  void shouldWaitAtTheCostCapForARaiseAndGoOnWhenItComes() {
    // given a loop with a $0.05 cap spending $0.02 an iteration, which waits a day at its cap
    script(s -> agent(false, "0.02"));
    LoopWorkflow loop = start(withCostCapWait(config(20, "0.05", List.of()), DAY_SECONDS));

    // when it reaches the cap, waits an hour, and an approver raises the cap to $0.10
    LoopStatus waiting = awaitStatus(loop, s -> s.state() == LoopState.PAUSED);
    env.sleep(Duration.ofHours(1));
    assertThat(loop.status().state()).isEqualTo(LoopState.PAUSED);
    loop.raiseCostCap(new CapRaise(APPROVER, new BigDecimal("0.10"), "nearly there"));
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    // then it went on to the new cap
    assertThat(waiting.reason()).startsWith("cost cap $0.05 reached after iteration 3");
    assertThat(waiting.iteration()).isEqualTo(3);
    assertThat(result.state()).isEqualTo(LoopState.COST_CAP_REACHED);
    assertThat(result.iterations()).isEqualTo(5);
    assertThat(auditActions()).contains("cost_cap.reached", "cost_cap.raised");
  }

  @Test
  void shouldEndAtTheCostCapWhenNoRaiseComesInTime() {
    script(s -> agent(false, "0.02"));
    LoopWorkflow loop = start(withCostCapWait(config(20, "0.05", List.of()), 3600));

    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    assertThat(result.state()).isEqualTo(LoopState.COST_CAP_REACHED);
    assertThat(result.iterations()).isEqualTo(3);
    assertThat(auditActions()).containsOnlyOnce("cost_cap.reached").doesNotContain("cost_cap.raised");
  }

  private static LoopConfig withCostCapWait(LoopConfig c, long seconds) {
    return new LoopConfig(c.agentCommand(), c.usage(), c.completionPromise(), c.checks(),
        c.maxIterations(), c.maxRuntimeSeconds(), c.costCapUsd(), c.sandbox(), c.gates(),
        c.noProgressIterations(), c.repeatedFailureLimit(), c.unreportedCostUsd(), seconds);
  }

  @Test
  void shouldStopAtTheCostCapWhenTheAgentStoppedAtTheBudgetItWasGiven() {
    // given Claude Code, which ends its second run at the budget Forge passed it
    script(s -> {
      SandboxResult run = agent(false, "0.40");
      if (s.iteration() == 2) {
        Usage u = run.usage();
        return new SandboxResult("agent", SandboxOutcome.EXITED, 1, 10, "budget", false, false,
            new Usage(u.inputTokens(), 0, 0, u.outputTokens(), new BigDecimal("0.58"),
                Usage.REPORTED, "claude", null, 9, Usage.STOPPED_AT_BUDGET));
      }
      return run;
    });

    LoopResult result = run(config(10, "1.00", List.of()));

    // then the loop ends there: no third iteration with a budget of $0.02
    assertThat(result.state()).isEqualTo(LoopState.COST_CAP_REACHED);
    assertThat(result.reason()).contains("the agent stopped at the budget Forge passed it");
    assertThat(result.iterations()).isEqualTo(2);
    assertThat(result.costUsd()).isEqualByComparingTo("0.98");
  }

  @Test
  void shouldLetAnotherApproverRaiseTheCostCapOfARunningLoop() throws Exception {
    // given a loop with a $0.05 cap spending $0.02 an iteration, held in its second iteration
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    script(s -> {
      if (s.iteration() == 2) {
        held.countDown();
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return agent(false, "0.02");
    });
    LoopWorkflow loop = start(config(20, "0.05", List.of()));
    held.await();

    // when its starter tries, a cut is asked for, and then an approver raises it to $0.10
    assertThatThrownBy(() -> loop.raiseCostCap(new CapRaise(STARTER, new BigDecimal("1.00"), "me")))
        .hasStackTraceContaining("may not raise its cost cap");
    assertThatThrownBy(() -> loop.raiseCostCap(new CapRaise(APPROVER, new BigDecimal("0.04"), "")))
        .hasStackTraceContaining("must be above the current $0.05");
    LoopStatus raised = loop.raiseCostCap(new CapRaise(APPROVER, new BigDecimal("0.10"), "close"));
    hold.countDown();
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    // then the loop ran on to the new cap
    assertThat(raised.costCapUsd()).isEqualByComparingTo("0.10");
    assertThat(result.state()).isEqualTo(LoopState.COST_CAP_REACHED);
    assertThat(result.iterations()).isEqualTo(5);
    assertThat(result.costUsd()).isEqualByComparingTo("0.10");
    assertThat(auditActions()).containsOnlyOnce("cost_cap.raised");
  }
}
