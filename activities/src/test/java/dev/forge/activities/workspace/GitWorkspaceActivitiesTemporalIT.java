package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import dev.forge.workflows.workspace.WorkspaceActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activities behind a Temporal activity stub: arguments, results and failures cross the wire.
 */
class GitWorkspaceActivitiesTemporalIT {

  @TempDir Path temp;
  TestActivityEnvironment environment;
  WorkspaceFixture fixture;
  WorkspaceActivities stub;

  @BeforeEach
  void setUp() {
    fixture = new WorkspaceFixture(temp);
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(fixture.activities);
    stub =
        environment.newActivityStub(
            WorkspaceActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void tearDown() {
    environment.close();
  }

  @Test
  void shouldPrepareCheckpointAndResetThroughAnActivityStub() {
    // given
    Workspace workspace = stub.prepare("loop-one", fixture.repository.toString(), 0);
    write(Path.of(workspace.path()).resolve("a.txt"), "a\n");

    // when
    Checkpoint checkpoint =
        stub.checkpoint(new CheckpointRequest(workspace, 1, CheckpointKind.BEFORE_ITERATION));
    stub.reset(new ResetRequest(workspace, workspace.baseSha(), "undo"));

    // then
    assertThat(checkpoint.created()).isTrue();
    assertThat(Path.of(workspace.path()).resolve("a.txt")).doesNotExist();
    assertThat(fixture.audit.all())
        .extracting(StoredAuditEntry::action)
        .containsExactly("workspace.prepared", "checkpoint.created", "workspace.reset");
    assertThat(fixture.audit.all()).allSatisfy(entry -> assertThat(entry.runId()).isNotBlank());
  }

  @Test
  void shouldFailNonRetryablyForAnInvalidRepository() {
    // when / then
    assertThatThrownBy(() -> stub.prepare("loop-one", temp.resolve("nowhere").toString(), 0))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("InvalidRepository");
              assertThat(failure.isNonRetryable()).isTrue();
            });
  }
}
