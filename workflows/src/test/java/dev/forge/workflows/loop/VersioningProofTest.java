package dev.forge.workflows.loop;

import static dev.forge.workflows.loop.LoopFixtures.LOOP_ID;
import static dev.forge.workflows.loop.LoopFixtures.agent;
import static dev.forge.workflows.loop.LoopFixtures.config;
import static dev.forge.workflows.loop.LoopFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.forge.workflows.TaskQueues;
import dev.forge.workflows.audit.AuditActivities;
import dev.forge.workflows.audit.AuditRecord;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.workspace.WorkspaceActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replay guard works both ways. One change to the loop — an audit entry written before the work
 * tree is prepared — made twice: without {@code Workflow.getVersion} it fails replay of every
 * recorded history, with a report naming the event; behind {@code getVersion} the old histories
 * replay, and a history recorded from the changed code replays too (and pins the change: the code
 * without it no longer replays that history).
 */
class VersioningProofTest {

  static final Path HISTORIES = Path.of("src/test/resources/histories");

  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.list(HISTORIES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  /** The change, made carelessly: every loop now writes an extra audit entry first. */
  public static class UnversionedChange extends LoopWorkflowImpl {
    private final AuditActivities audit =
        Workflow.newActivityStub(AuditActivities.class, LoopActivityOptions.audit());

    @Override
    public LoopResult run(LoopRequest loopRequest) {
      if (loopRequest.carry() == null) {
        audit.record(new AuditRecord("requested:" + loopRequest.loopId(), loopRequest.loopId(), 0,
            loopRequest.startedBy(), "loop.requested", loopRequest.repository(), Map.of()));
      }
      return super.run(loopRequest);
    }
  }

  /** The same change behind Workflow.getVersion, as CONTRIBUTING.md says. */
  public static class VersionedChange extends LoopWorkflowImpl {
    private final AuditActivities audit =
        Workflow.newActivityStub(AuditActivities.class, LoopActivityOptions.audit());

    @Override
    public LoopResult run(LoopRequest loopRequest) {
      if (loopRequest.carry() == null
          && Workflow.getVersion("loop-requested-audit", Workflow.DEFAULT_VERSION, 1) >= 1) {
        audit.record(new AuditRecord("requested:" + loopRequest.loopId(), loopRequest.loopId(), 0,
            loopRequest.startedBy(), "loop.requested", loopRequest.repository(), Map.of()));
      }
      return super.run(loopRequest);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void theUnversionedChangeFailsReplayOfEveryRecordedHistoryWithAReadableReport(Path history)
      throws Exception {
    WorkflowExecutionHistory recorded = WorkflowExecutionHistory.fromJson(Files.readString(history));

    if (isFirstRun(recorded)) {
      assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(recorded,
          UnversionedChange.class))
          .hasMessageContaining(NonDeterministicException.class.getName())
          .hasMessageContaining("Failure handling event 5 of type 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'")
          .hasMessageContaining("AuditRecord");
    } else {
      // A run that continued as new does not pass the changed point again: it still replays.
      WorkflowReplayer.replayWorkflowExecution(recorded, UnversionedChange.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void theVersionedChangeReplaysEveryRecordedHistory(Path history) throws Exception {
    WorkflowExecutionHistory recorded = WorkflowExecutionHistory.fromJson(Files.readString(history));

    WorkflowReplayer.replayWorkflowExecution(recorded, VersionedChange.class);
  }

  @Test
  void aHistoryRecordedFromTheVersionedChangeReplaysAndPinsTheChange() throws Exception {
    // given a loop run by the changed code (activities mocked, the real Temporal test server)
    WorkflowExecutionHistory recorded;
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.LOOPS);
      worker.registerWorkflowImplementationTypes(VersionedChange.class);
      WorkspaceActivities workspaces =
          mock(WorkspaceActivities.class, withSettings().withoutAnnotations());
      SandboxActivities sandbox = mock(SandboxActivities.class, withSettings().withoutAnnotations());
      AuditActivities audit = mock(AuditActivities.class, withSettings().withoutAnnotations());
      when(workspaces.prepare(any(), any(), anyLong())).thenReturn(LoopFixtures.workspace());
      when(workspaces.checkpoint(any())).thenAnswer(i -> LoopFixtures.checkpointFor(i.getArgument(0)));
      when(workspaces.squash(any())).thenAnswer(i -> LoopFixtures.squashFor(i.getArgument(0)));
      when(sandbox.run(any())).thenReturn(agent(true, "0.01"));
      worker.registerActivitiesImplementations(workspaces, sandbox, audit);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      LoopWorkflow loop = client.newWorkflowStub(LoopWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(LOOP_ID).setTaskQueue(TaskQueues.LOOPS).build());
      WorkflowClient.start(loop::run, request(config(3, "1.00", List.of())));
      WorkflowStub.fromTyped(loop).getResult(LoopResult.class);
      recorded = client.fetchHistory(LOOP_ID);
    }

    // then it replays against the changed code, and no longer against the code without the change
    WorkflowReplayer.replayWorkflowExecution(recorded, VersionedChange.class);
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(recorded,
        LoopWorkflowImpl.class))
        .hasMessageContaining(NonDeterministicException.class.getName());
  }

  private static boolean isFirstRun(WorkflowExecutionHistory history) {
    return history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
        .getContinuedExecutionRunId().isEmpty();
  }
}
