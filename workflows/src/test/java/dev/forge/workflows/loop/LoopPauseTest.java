package dev.forge.workflows.loop;

import static dev.forge.workflows.loop.LoopFixtures.APPROVER;
import static dev.forge.workflows.loop.LoopFixtures.STARTER;
import static dev.forge.workflows.loop.LoopFixtures.agent;
import static dev.forge.workflows.loop.LoopFixtures.command;
import static dev.forge.workflows.loop.LoopFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.verify;

import dev.forge.workflows.workspace.ResetRequest;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Pause, resume and rollback ({@link LoopPause}). */
class LoopPauseTest extends LoopWorkflowTestSupport {

  @Test
  void shouldPauseBetweenIterationsAndGoOnWhenResumed() {
    // given a loop that would finish in its third iteration, paused right away
    script(s -> s.step().equals("agent") ? agent(s.iteration() == 3, "0.01")
        : command(s.step(), 0, "ok"));
    LoopWorkflow loop = start(config(10, "5.00", List.of()));
    loop.pause(STARTER);

    // when it is paused
    LoopStatus pausedStatus = awaitStatus(loop, s -> s.state() == LoopState.PAUSED);
    int stepsWhilePaused = steps.size();
    env.sleep(Duration.ofHours(1));

    // then nothing runs until it is resumed, and it then completes
    assertThat(pausedStatus.reason()).startsWith("paused by " + STARTER);
    assertThat(steps).hasSize(stepsWhilePaused);
    loop.resume(APPROVER);
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);
    assertThat(result.state()).isEqualTo(LoopState.COMPLETED);
    assertThat(result.iterations()).isEqualTo(3);
    assertThat(auditActions()).contains("loop.paused", "loop.resumed");
  }

  @Test
  void shouldRollAPausedLoopBackToACheckpointAndGoOnFromThere() throws Exception {
    // given a loop held in its second iteration: running, not paused
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    script(s -> {
      if (s.step().equals("agent") && s.iteration() == 2) {
        held.countDown();
        awaitQuietly(hold);
      }
      return s.step().equals("agent") ? agent(s.iteration() == 4, "0.01")
          : command(s.step(), 0, "ok");
    });
    LoopWorkflow loop = start(config(10, "5.00", List.of()));
    held.await();
    String iterationOne = loop.status().checkpoints().get(0).sha();
    assertThatThrownBy(() -> loop.rollback(new Rollback(iterationOne, STARTER, "")))
        .hasStackTraceContaining("pause it first");

    // when it is paused after that iteration, an unknown commit and then a checkpoint are asked for
    loop.pause(STARTER);
    hold.countDown();
    awaitStatus(loop, s -> s.state() == LoopState.PAUSED);
    String unknown = "0123456789abcdef0123456789abcdef01234567";
    assertThatThrownBy(() -> loop.rollback(new Rollback(unknown, STARTER, "")))
        .hasStackTraceContaining("is not one of this loop's last");
    LoopStatus rolledBack = loop.rollback(new Rollback(iterationOne, STARTER, "went astray"));
    loop.resume(STARTER);
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    // then the work tree went back while paused, and the loop went on and completed
    ArgumentCaptor<ResetRequest> reset = ArgumentCaptor.forClass(ResetRequest.class);
    verify(workspaces).reset(reset.capture());
    assertThat(reset.getValue().sha()).isEqualTo(iterationOne);
    assertThat(reset.getValue().reason()).isEqualTo("rolled back by dev: went astray");
    assertThat(rolledBack.state()).isEqualTo(LoopState.PAUSED);
    assertThat(rolledBack.reason()).contains("rolled back to " + iterationOne + " by dev");
    assertThat(result.state()).isEqualTo(LoopState.COMPLETED);
    assertThat(result.iterations()).isEqualTo(4);
    assertThat(auditActions()).containsOnlyOnce("loop.rolled_back");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
