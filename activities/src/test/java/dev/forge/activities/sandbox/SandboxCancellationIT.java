package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.IMAGE;
import static dev.forge.activities.sandbox.SandboxFixtures.loopId;
import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static dev.forge.activities.sandbox.SandboxFixtures.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation as Temporal delivers it: the workflow's cancel request comes back in the response
 * to a heartbeat, and the next heartbeat throws. TestActivityEnvironment does the same with {@code
 * requestCancelActivity()}.
 */
class SandboxCancellationIT {

  private DockerClient docker;
  private TestActivityEnvironment env;
  private InMemoryAuditLog audit;
  private Path workspace;

  @BeforeEach
  void setUp() {
    docker = DockerClients.connect(null);
    assertThat(docker.inspectImageCmd(IMAGE).exec().getId()).isNotBlank();
    audit = new InMemoryAuditLog();
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new DockerSandboxActivities(docker, DockerSandboxIT.settings(), audit, name -> null,
            TestStepPolicy.NONE));
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
    docker.close();
    SandboxFixtures.delete(workspace);
  }

  @Test
  void shouldKillAndRemoveTheContainerWhenTheActivityIsCancelled() throws Exception {
    SandboxActivities activities =
        env.newActivityStub(
            SandboxActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setHeartbeatTimeout(Duration.ofSeconds(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    String loopId = loopId("cancel");
    workspace = workspace();
    SandboxStep step = step(loopId, workspace, List.of("sleep", "600"));
    CompletableFuture<SandboxResult> running = CompletableFuture.supplyAsync(() -> activities.run(step));
    awaitRunning(loopId);

    long requested = System.nanoTime();
    env.requestCancelActivity();
    Throwable failure = awaitFailure(running);
    long cancelMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - requested);

    assertThat(failure).isInstanceOf(CanceledFailure.class);
    assertThat(cancelMillis).isLessThan(5_000L);
    assertThat(containersOf(loopId)).isEmpty();
    assertThat(audit.all()).singleElement()
        .satisfies(e -> assertThat(e.detail()).containsEntry("outcome", "CANCELLED"));
    System.out.println("cancellation to container removed: " + cancelMillis + " ms");
  }

  private static Throwable awaitFailure(CompletableFuture<SandboxResult> running)
      throws Exception {
    try {
      SandboxResult result = running.get(30, TimeUnit.SECONDS);
      throw new AssertionError("the step was not cancelled but ended: " + result);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private void awaitRunning(String loopId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (containersOf(loopId).stream().anyMatch(c -> "running".equals(c.getState()))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the step's container never ran");
  }

  private List<Container> containersOf(String loopId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(SandboxLabels.LOOP_ID, loopId))
        .exec();
  }
}
