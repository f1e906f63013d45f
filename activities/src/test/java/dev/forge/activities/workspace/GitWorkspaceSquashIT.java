package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.git;
import static dev.forge.activities.workspace.TestRepos.history;
import static dev.forge.activities.workspace.TestRepos.read;
import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.SquashRequest;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The squash that ends a loop, on real git repositories. */
class GitWorkspaceSquashIT {

  @TempDir Path temp;

  @Test
  void shouldSquashTheLoopIntoOneCommitAndKeepEveryCheckpointReachable() {
    // given: three iterations of work, and a final checkpoint
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    Path tree = WorkspaceFixture.path(workspace);
    write(tree.resolve("a.txt"), "one\n");
    Checkpoint second = fixture.checkpoint(workspace, 2);
    write(tree.resolve("b.txt"), "two\n");
    Checkpoint third = fixture.checkpoint(workspace, 3);
    write(tree.resolve("a.txt"), "one, revised\n");
    Checkpoint last = fixture.activities.checkpoint(
        new CheckpointRequest(workspace, 3, CheckpointKind.FINAL));
    String treeBefore = git(fixture.repository, "rev-parse", last.sha() + "^{tree}").strip();

    // when
    Checkpoint squash = fixture.activities.squash(new SquashRequest(workspace, 3,
        "forge(loop-one): COMPLETED after 3 iterations", "Goal: implement a and b.\nCost: $0.30"));

    // then: one commit on the base, with the same tree and a summarising message
    assertThat(squash.kind()).isEqualTo(CheckpointKind.SQUASHED);
    assertThat(squash.created()).isTrue();
    assertThat(squash.filesChanged()).isEqualTo(2);
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(squash.sha(), workspace.baseSha());
    assertThat(git(fixture.repository, "rev-parse", squash.sha() + "^{tree}").strip())
        .isEqualTo(treeBefore);
    assertThat(git(fixture.repository, "log", "-1", "--format=%B", squash.sha()))
        .startsWith("forge(loop-one): COMPLETED after 3 iterations\n\nGoal: implement a and b.")
        .contains("Forge-Loop: loop-one\nForge-Iteration: 3\nForge-Checkpoint: squash\n"
            + "Forge-Squashed-From: " + last.sha());
    // every per-iteration commit is still reachable, from its own ref
    assertThat(git(fixture.repository, "for-each-ref", "--format=%(refname) %(objectname)",
        "refs/forge/loop-one/"))
        .contains("refs/forge/loop-one/iteration-2 " + second.sha())
        .contains("refs/forge/loop-one/iteration-3 " + third.sha())
        .contains("refs/forge/loop-one/final " + last.sha())
        .contains("refs/forge/loop-one/squashed " + last.sha())
        .contains("refs/forge/loop-one/squash " + squash.sha());
    assertThat(history(fixture.repository, "refs/forge/loop-one/squashed"))
        .containsExactly(last.sha(), third.sha(), second.sha(), workspace.baseSha());
    // the work tree is untouched and clean
    assertThat(read(tree.resolve("a.txt"))).isEqualTo("one, revised\n");
    assertThat(git(tree, "status", "--porcelain")).isEmpty();
    assertThat(fixture.audit.all()).extracting(StoredAuditEntry::action)
        .contains("checkpoint.created");
  }

  @Test
  void shouldBeIdempotentWhenRetried() {
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("a.txt"), "one\n");
    fixture.checkpoint(workspace, 2);
    SquashRequest request = new SquashRequest(workspace, 2, "summary", "body");

    Checkpoint first = fixture.activities.squash(request);
    Checkpoint retried = fixture.activities.squash(request);

    assertThat(retried).isEqualTo(first);
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(first.sha(), workspace.baseSha());
  }

  @Test
  void shouldMakeNoCommitWhenTheLoopChangedNothing() {
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");

    Checkpoint squash = fixture.activities.squash(new SquashRequest(workspace, 1, "s", "b"));

    assertThat(squash).isEqualTo(
        new Checkpoint(1, CheckpointKind.SQUASHED, workspace.baseSha(), false, 0));
    assertThat(history(fixture.repository, "forge/loop-one")).containsExactly(workspace.baseSha());
  }

  @Test
  void shouldRollBackToAnIterationCheckpointAfterTheSquash() {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    Path tree = WorkspaceFixture.path(workspace);
    write(tree.resolve("a.txt"), "one\n");
    Checkpoint second = fixture.checkpoint(workspace, 2);
    write(tree.resolve("a.txt"), "two\n");
    fixture.checkpoint(workspace, 3);
    fixture.activities.squash(new SquashRequest(workspace, 3, "s", "b"));

    // when
    fixture.activities.reset(new ResetRequest(workspace, second.sha(), "back to iteration 2"));

    // then
    assertThat(read(tree.resolve("a.txt"))).isEqualTo("one\n");
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(second.sha(), workspace.baseSha());
  }

  @Test
  void shouldRefuseToSquashABranchMovedOffItsBase() {
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    write(fixture.repository.resolve("x.txt"), "x\n");
    String elsewhere = TestRepos.commitAll(fixture.repository, "unrelated");
    git(fixture.repository, "update-ref", "refs/heads/forge/loop-one",
        git(fixture.repository, "commit-tree", "-m", "orphan",
            elsewhere + "^{tree}").strip());

    assertThatThrownBy(() -> fixture.activities.squash(new SquashRequest(workspace, 1, "s", "b")))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("no longer descends from the loop's base");
    assertThat(git(fixture.repository, "log", "-1", "--format=%s", "forge/loop-one").strip())
        .isEqualTo("orphan");
  }
}
