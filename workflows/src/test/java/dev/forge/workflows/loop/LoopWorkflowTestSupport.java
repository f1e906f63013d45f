package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

import static dev.forge.workflows.loop.LoopFixtures.LOOP_ID;
import static dev.forge.workflows.loop.LoopFixtures.request;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.forge.workflows.TaskQueues;
import dev.forge.workflows.audit.AuditActivities;
import dev.forge.workflows.audit.AuditRecord;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.WorkspaceActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.mockito.ArgumentCaptor;

/**
 * Loop logic on the time-skipping test server, with the activities mocked: the environment and
 * helpers every Loop*Test shares (test data is in {@link LoopFixtures}).
 */
abstract class LoopWorkflowTestSupport {

  TestWorkflowEnvironment env;
  WorkflowClient client;
  final WorkspaceActivities workspaces =
      mock(WorkspaceActivities.class, withSettings().withoutAnnotations());
  final SandboxActivities sandbox =
      mock(SandboxActivities.class, withSettings().withoutAnnotations());
  final AuditActivities audit =
      mock(AuditActivities.class, withSettings().withoutAnnotations());
  final List<SandboxStep> steps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    // As the real worker does: heartbeats (and so cancellations) get through within a second.
    Worker worker = env.newWorker(TaskQueues.LOOPS, io.temporal.worker.WorkerOptions.newBuilder()
        .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1)).build());
    worker.registerWorkflowImplementationTypes(LoopWorkflowImpl.class);
    worker.registerActivitiesImplementations(workspaces, sandbox, audit);
    client = env.getWorkflowClient();
    when(workspaces.prepare(any(), any(), anyLong())).thenReturn(LoopFixtures.workspace());
    when(workspaces.checkpoint(any())).thenAnswer(i -> LoopFixtures.checkpointFor(i.getArgument(0)));
    when(workspaces.squash(any())).thenAnswer(i -> LoopFixtures.squashFor(i.getArgument(0)));
    env.start();
  }

  @AfterEach
  void closeEnvironment() {
    env.close();
  }

  LoopWorkflow loop(String id) {
    return client.newWorkflowStub(LoopWorkflow.class, id);
  }

  LoopWorkflow start(LoopConfig config) {
    LoopWorkflow loop = client.newWorkflowStub(LoopWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(LOOP_ID).setTaskQueue(TaskQueues.LOOPS).build());
    WorkflowClient.start(loop::run, request(config));
    return loop;
  }

  LoopResult run(LoopConfig config) {
    return WorkflowStub.fromTyped(start(config)).getResult(LoopResult.class);
  }

  void script(Function<SandboxStep, SandboxResult> behaviour) {
    when(sandbox.run(any())).thenAnswer(i -> {
      SandboxStep step = i.getArgument(0);
      steps.add(step);
      return behaviour.apply(step);
    });
  }

  List<CheckpointKind> checkpointKinds() {
    ArgumentCaptor<CheckpointRequest> captor = ArgumentCaptor.forClass(CheckpointRequest.class);
    verify(workspaces, atLeastOnce()).checkpoint(captor.capture());
    return captor.getAllValues().stream().map(CheckpointRequest::kind).toList();
  }

  List<String> auditActions() {
    ArgumentCaptor<AuditRecord> captor = ArgumentCaptor.forClass(AuditRecord.class);
    verify(audit, atLeastOnce()).record(captor.capture());
    return captor.getAllValues().stream().map(AuditRecord::action).toList();
  }

  static LoopStatus awaitStatus(LoopWorkflow loop, Predicate<LoopStatus> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      LoopStatus status = loop.status();
      if (condition.test(status)) {
        return status;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("loop never reached the expected state; last status: " + status);
      }
      sleep(Duration.ofMillis(50));
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
