package dev.forge.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.forge.activities.sandbox.SandboxReaper;
import dev.forge.activities.workspace.GitWorkspaceActivities;
import dev.forge.audit.AuditLog;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which loops the sweep treats as ended: only those Temporal has ended and this Forge started. */
class OrphanSandboxesTest {

  private final WorkflowClient client = mock(WorkflowClient.class);
  private final AuditLog audit = mock(AuditLog.class);
  private final OrphanSandboxes sweep = new OrphanSandboxes(mock(SandboxReaper.class),
      mock(GitWorkspaceActivities.class), client, audit, Duration.ofMinutes(5));

  @Test
  void aLoopTemporalDoesNotKnowIsEndedOnlyWhenThisForgeStartedIt() {
    WorkflowStub unknown = mock(WorkflowStub.class);
    when(unknown.describe()).thenThrow(
        new WorkflowNotFoundException(WorkflowExecution.getDefaultInstance(), "LoopWorkflow", null));
    when(client.newUntypedWorkflowStub("ours")).thenReturn(unknown);
    when(client.newUntypedWorkflowStub("another-forges")).thenReturn(unknown);
    when(audit.knowsLoop("ours")).thenReturn(true);
    when(audit.knowsLoop("another-forges")).thenReturn(false);

    assertThat(sweep.isRunning("ours")).isFalse();
    assertThat(sweep.isRunning("another-forges")).isTrue();
    // disk quotas live in this Forge's own work trees directory: Temporal's word is enough
    assertThat(sweep.isRunningInTemporal("another-forges")).isFalse();
  }

  @Test
  void aLoopIsRunningWhileTemporalSaysSoOrCannotBeAsked() {
    WorkflowStub running = stubWithStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    WorkflowStub completed =
        stubWithStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    WorkflowStub unreachable = mock(WorkflowStub.class);
    when(unreachable.describe()).thenThrow(new IllegalStateException("UNAVAILABLE"));
    when(client.newUntypedWorkflowStub("running")).thenReturn(running);
    when(client.newUntypedWorkflowStub("completed")).thenReturn(completed);
    when(client.newUntypedWorkflowStub("unreachable")).thenReturn(unreachable);

    assertThat(sweep.isRunning("running")).isTrue();
    assertThat(sweep.isRunning("completed")).isFalse();
    assertThat(sweep.isRunning("unreachable")).isTrue();
  }

  private static WorkflowStub stubWithStatus(WorkflowExecutionStatus status) {
    WorkflowExecutionDescription description = mock(WorkflowExecutionDescription.class);
    when(description.getStatus()).thenReturn(status);
    WorkflowStub stub = mock(WorkflowStub.class);
    when(stub.describe()).thenReturn(description);
    return stub;
  }
}
