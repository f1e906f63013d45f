package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

import static dev.forge.workflows.loop.LoopFixtures.APPROVER;
import static dev.forge.workflows.loop.LoopFixtures.LOOP_ID;
import static dev.forge.workflows.loop.LoopFixtures.agent;
import static dev.forge.workflows.loop.LoopFixtures.command;
import static dev.forge.workflows.loop.LoopFixtures.config;
import static dev.forge.workflows.loop.LoopFixtures.decision;
import static dev.forge.workflows.loop.LoopFixtures.productionGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.SquashRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * Loops from start to end on the time-skipping test server, with the activities mocked: completion
 * through a gate, failure, cancellation, continuing as new.
 */
class LoopLifecycleTest extends LoopWorkflowTestSupport {

  @Test
  void shouldCompleteAfterApprovalWhenPromiseSeenAndChecksPass() {
    // given an agent that claims completion in its third iteration, and passing checks
    script(s -> switch (s.step()) {
      case "agent" -> agent(s.iteration() == 3, "0.10");
      default -> command(s.step(), 0, "ok");
    });
    LoopWorkflow loop = start(config(10, "5.00", List.of(productionGate())));

    // when the loop reaches its gate and another user approves
    LoopStatus waiting = awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);
    GateView decided = loop.decideGate(decision(APPROVER, true));
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    // then
    assertThat(waiting.iteration()).isEqualTo(3);
    assertThat(waiting.pendingGate().name()).isEqualTo("production_deploy");
    // the approver sees, and approves, the squash: the one commit the loop leaves on its branch
    assertThat(waiting.pendingGate().checkpointSha()).isEqualTo("sha-squash");
    assertThat(decided.state()).isEqualTo(GateView.APPROVED);
    assertThat(result.state()).isEqualTo(LoopState.COMPLETED);
    assertThat(result.iterations()).isEqualTo(3);
    assertThat(result.costUsd()).isEqualByComparingTo("0.30");
    assertThat(steps).extracting(SandboxStep::step)
        .containsExactly("agent", "agent", "agent", "check-1", "gate-production_deploy-1");
    assertThat(checkpointKinds()).containsExactly(
        CheckpointKind.BEFORE_ITERATION, CheckpointKind.BEFORE_ITERATION,
        CheckpointKind.BEFORE_ITERATION, CheckpointKind.FINAL);
    ArgumentCaptor<SquashRequest> squash = ArgumentCaptor.forClass(SquashRequest.class);
    verify(workspaces).squash(squash.capture());
    assertThat(squash.getValue().subject())
        .isEqualTo("forge(" + LoopFixtures.LOOP_ID + "): goal met after 3 iterations, for approval"
            + " at production_deploy");
    assertThat(squash.getValue().body())
        .contains("Goal: Implement every function.", "Cost: $0.30 of a $5.00 cap",
            "Started by: dev", "  3  sha-iteratio  EXITED  promise  passed  $0.10");
    LoopStatus done = loop.status();
    assertThat(done.state()).isEqualTo(LoopState.COMPLETED);
    assertThat(done.checkpoints()).last().satisfies(c -> {
      assertThat(c.kind()).isEqualTo(CheckpointKind.SQUASHED);
      assertThat(result.finalCheckpointSha()).isEqualTo(c.sha());
    });
    assertThat(done.gates()).singleElement()
        .satisfies(g -> assertThat(g.decidedBy()).isEqualTo(APPROVER));
    assertThat(auditActions()).contains("loop.started", "gate.requested", "gate.decided", "loop.finished");
    assertThat(auditActions()).filteredOn(a -> a.startsWith("iteration."))
        .containsExactly("iteration.started", "iteration.finished", "iteration.started",
            "iteration.finished", "iteration.started", "iteration.finished");
  }

  @Test
  void shouldFailLoopWhenRepositoryIsInvalid() {
    when(workspaces.prepare(any(), any(), anyLong())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("not a git repository", "InvalidRepository"));
    LoopWorkflow loop = start(config(5, "5.00", List.of()));

    assertThatThrownBy(() -> WorkflowStub.fromTyped(loop).getResult(LoopResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(loop.status().reason()).contains("WorkspacePrepare failed: not a git repository");
    verify(sandbox, never()).run(any());
  }

  @Test
  void shouldEndCancelledWhenCancelledWhileTheAgentRuns() {
    // given an agent step that runs until it is cancelled (it heartbeats, as the real one does)
    java.util.concurrent.atomic.AtomicBoolean stepSawCancellation = new java.util.concurrent.atomic.AtomicBoolean();
    script(s -> {
      while (true) {
        try {
          io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
        } catch (io.temporal.client.ActivityCompletionException e) {
          stepSawCancellation.set(true);
          throw e;
        }
        sleep(Duration.ofMillis(100));
      }
    });
    LoopWorkflow loop = start(config(5, "5.00", List.of()));
    awaitStatus(loop, s -> s.iteration() == 1);
    sleep(Duration.ofMillis(300));

    WorkflowStub.fromTyped(loop).cancel();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(loop).getResult(LoopResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(CanceledFailure.class);
    assertThat(loop.status().state()).isEqualTo(LoopState.CANCELLED);
    assertThat(stepSawCancellation).isTrue();
    assertThat(checkpointKinds()).endsWith(CheckpointKind.FINAL);
  }

  @Test
  void shouldCheckpointAndEndCancelledWhenCancelledAtGate() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00", List.of(productionGate())));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);

    WorkflowStub.fromTyped(loop).cancel();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(loop).getResult(LoopResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(CanceledFailure.class);
    assertThat(loop.status().state()).isEqualTo(LoopState.CANCELLED);
    assertThat(auditActions()).contains("loop.cancelled");
  }

  @Test
  void shouldRunAThousandIterationsAcrossRunsWithNoRunsHistoryOverTenThousandEvents() {
    // given a fast agent that meets the goal in iteration 1000
    script(s -> s.step().equals("agent") ? agent(s.iteration() == 1000, "0.001")
        : command(s.step(), 0, "ok"));
    LoopConfig c = config(1000, "100.00", List.of());

    // when
    long started = System.nanoTime();
    LoopWorkflow loop = start(c);
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    // then it completed, having continued as new every 100 iterations, with its totals intact
    assertThat(result.state()).isEqualTo(LoopState.COMPLETED);
    assertThat(result.iterations()).isEqualTo(1000);
    assertThat(result.costUsd()).isEqualByComparingTo("1.000");
    LoopStatus status = loop.status();
    assertThat(status.earlierIterations() + status.iterations().size()).isEqualTo(1000);
    assertThat(status.iterations()).last()
        .satisfies(i -> assertThat(i.iteration()).isEqualTo(1000));
    assertThat(auditActions()).filteredOn("loop.continued_as_new"::equals).hasSize(9);
    List<Integer> eventsPerRun = new ArrayList<>();
    var closed = client.getWorkflowServiceStubs().blockingStub().listClosedWorkflowExecutions(
        io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest.newBuilder()
            .setNamespace(env.getNamespace())
            .setExecutionFilter(io.temporal.api.filter.v1.WorkflowExecutionFilter.newBuilder()
                .setWorkflowId(LOOP_ID))
            .build());
    for (var run : closed.getExecutionsList()) {
      eventsPerRun.add(
          client.fetchHistory(LOOP_ID, run.getExecution().getRunId()).getEvents().size());
    }
    System.out.println("1000 iterations in " + tookMillis + " ms; events per run: "
        + eventsPerRun);
    assertThat(eventsPerRun).hasSize(10).allSatisfy(n -> assertThat(n).isLessThan(10_000));
  }
}
