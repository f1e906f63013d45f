package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.git;
import static dev.forge.activities.workspace.TestRepos.history;
import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorkspaceCheckpointIT {

  @TempDir Path temp;

  @Test
  void shouldNotCommitWhenNothingChanged() {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("build.log"), "ignored by .gitignore\n");

    // when
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);

    // then
    assertThat(checkpoint)
        .isEqualTo(
            new Checkpoint(1, CheckpointKind.BEFORE_ITERATION, workspace.baseSha(), false, 0));
    assertThat(history(fixture.repository, "forge/loop-one")).containsExactly(workspace.baseSha());
    assertThat(fixture.audit.all())
        .extracting(StoredAuditEntry::action)
        .contains("checkpoint.unchanged");
  }

  @Test
  void shouldCommitEditsWithTrailersOnTheLoopsBranch() throws IOException {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    Path tree = WorkspaceFixture.path(workspace);
    write(tree.resolve("src/App.java"), "class App { void run() {} }\n");
    write(tree.resolve("src/New.java"), "class New {}\n");
    Files.delete(tree.resolve("README.md"));

    // when
    Checkpoint checkpoint = fixture.checkpoint(workspace, 2);

    // then
    assertThat(checkpoint.created()).isTrue();
    assertThat(checkpoint.filesChanged()).isEqualTo(3);
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(checkpoint.sha(), workspace.baseSha());
    assertThat(git(fixture.repository, "log", "-1", "--format=%B", checkpoint.sha()))
        .startsWith("forge(loop-one): checkpoint before iteration 2\n\n")
        .endsWith("Forge-Loop: loop-one\nForge-Iteration: 2\nForge-Checkpoint: iteration-2\n\n");
    assertThat(
            git(fixture.repository, "log", "-1", "--format=%an <%ae>|%cn <%ce>", checkpoint.sha())
                .strip())
        .isEqualTo("Forge <forge@localhost>|Forge <forge@localhost>");
    assertThat(
            git(
                fixture.repository,
                "diff-tree",
                "-r",
                "--name-status",
                "--no-commit-id",
                checkpoint.sha()))
        .isEqualTo("D\tREADME.md\nM\tsrc/App.java\nA\tsrc/New.java\n");
    assertThat(git(fixture.repository, "symbolic-ref", "HEAD").strip())
        .isEqualTo("refs/heads/main");
    assertThat(fixture.audit.all())
        .filteredOn(entry -> entry.action().equals("checkpoint.created"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.target()).isEqualTo(checkpoint.sha());
              assertThat(entry.iteration()).isEqualTo(2);
              assertThat(entry.requestId())
                  .isEqualTo("checkpoint:loop-one:iteration-2:" + checkpoint.sha());
              assertThat(entry.detail())
                  .containsEntry("kind", "BEFORE_ITERATION")
                  .containsEntry("key", "iteration-2")
                  .containsEntry("filesChanged", 3)
                  .containsEntry("files", List.of("README.md", "src/App.java", "src/New.java"));
            });
  }

  @Test
  void shouldWriteFinalCheckpointMessage() {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("done.txt"), "done\n");

    // when
    Checkpoint checkpoint =
        fixture.activities.checkpoint(new CheckpointRequest(workspace, 7, CheckpointKind.FINAL));

    // then
    assertThat(
            git(
                fixture.repository,
                "log",
                "-1",
                "--format=%s%n%(trailers:only,unfold)",
                checkpoint.sha()))
        .isEqualTo(
            "forge(loop-one): final checkpoint after iteration 7\n"
                + "Forge-Loop: loop-one\nForge-Iteration: 7\nForge-Checkpoint: final\n\n");
  }

  @Test
  void shouldReturnSameCheckpointWhenRequestIsRepeated() {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("a.txt"), "a\n");
    Checkpoint first = fixture.checkpoint(workspace, 3);

    // when
    Checkpoint second = fixture.checkpoint(workspace, 3);

    // then
    assertThat(second).isEqualTo(first);
    assertThat(second.created()).isTrue();
    assertThat(second.filesChanged()).isEqualTo(1);
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(first.sha(), workspace.baseSha());
    assertThat(fixture.audit.all())
        .filteredOn(e -> e.action().startsWith("checkpoint."))
        .hasSize(1);
  }

  @Test
  void shouldLeaveOneCommitWhenRetriedAfterCrashBetweenCommitAndBranchUpdate() {
    // given a runner that dies once right before the branch would move
    AtomicBoolean crashed = new AtomicBoolean();
    Git crashingOnce =
        new Git("git", Duration.ofSeconds(30)) {
          @Override
          GitResult execute(GitContext context, List<String> args, String input) {
            if (args.get(0).equals("update-ref") && crashed.compareAndSet(false, true)) {
              throw new GitException(args, "simulated crash of the worker");
            }
            return super.execute(context, args, input);
          }
        };
    WorkspaceFixture fixture = new WorkspaceFixture(temp, WorkspaceFixture.NOT_ROOT, crashingOnce);
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("a.txt"), "a\n");
    assertThatThrownBy(() -> fixture.checkpoint(workspace, 1))
        .hasMessageContaining("git failed on the worker during checkpoint")
        .hasMessageNotContaining("simulated crash");
    assertThat(crashed).isTrue();
    assertThat(history(fixture.repository, "forge/loop-one")).containsExactly(workspace.baseSha());

    // when the activity is retried
    Checkpoint retried = fixture.checkpoint(workspace, 1);

    // then
    assertThat(retried.created()).isTrue();
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(retried.sha(), workspace.baseSha());
    assertThat(fixture.checkpoint(workspace, 1)).isEqualTo(retried);
    assertThat(history(fixture.repository, "forge/loop-one")).hasSize(2);
  }

  @Test
  void shouldKeepTwoLoopsOnOneRepositoryApart() {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace one = fixture.prepare("loop-one");
    Workspace two = fixture.prepare("loop-two");
    write(WorkspaceFixture.path(one).resolve("one.txt"), "1\n");
    write(WorkspaceFixture.path(two).resolve("two.txt"), "2\n");

    // when
    Checkpoint fromOne = fixture.checkpoint(one, 1);
    Checkpoint fromTwo = fixture.checkpoint(two, 1);

    // then
    assertThat(fromOne.sha()).isNotEqualTo(fromTwo.sha());
    assertThat(git(fixture.repository, "ls-tree", "--name-only", "forge/loop-one"))
        .contains("one.txt")
        .doesNotContain("two.txt");
    assertThat(git(fixture.repository, "ls-tree", "--name-only", "forge/loop-two"))
        .contains("two.txt")
        .doesNotContain("one.txt");
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(fromOne.sha(), one.baseSha());
    assertThat(history(fixture.repository, "forge/loop-two"))
        .containsExactly(fromTwo.sha(), two.baseSha());
  }

  @Test
  void shouldCommitAgainForTheNextIteration() {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("a.txt"), "a\n");
    Checkpoint first = fixture.checkpoint(workspace, 1);
    write(WorkspaceFixture.path(workspace).resolve("a.txt"), "b\n");

    // when
    Checkpoint second = fixture.checkpoint(workspace, 2);

    // then
    assertThat(second.created()).isTrue();
    assertThat(second.filesChanged()).isEqualTo(1);
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(second.sha(), first.sha(), workspace.baseSha());
  }

  @Test
  void shouldCheckpointTheFilesOfARepositoryTheAgentCreatedInside() {
    // given the agent ran 'git init' in a subdirectory, once without and once with a commit
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace workspace = fixture.prepare("loop-one");
    Path tree = WorkspaceFixture.path(workspace);
    write(tree.resolve("empty-repo/a.txt"), "a\n");
    TestRepos.git(tree.resolve("empty-repo"), "init", "--quiet");
    write(tree.resolve("full-repo/b.txt"), "b\n");
    TestRepos.git(tree.resolve("full-repo"), "init", "--quiet");
    TestRepos.commitAll(tree.resolve("full-repo"), "nested");

    // when
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);

    // then the files are checkpointed as plain files and the nested git directories are gone
    assertThat(git(fixture.repository, "ls-tree", "-r", "--name-only", checkpoint.sha()))
        .contains("empty-repo/a.txt\n", "full-repo/b.txt\n");
    assertThat(git(fixture.repository, "ls-tree", "-r", checkpoint.sha()))
        .doesNotContain(" commit ");
    assertThat(tree.resolve("empty-repo/.git")).doesNotExist();
    assertThat(tree.resolve("full-repo/.git")).doesNotExist();
    assertThat(fixture.audit.all())
        .filteredOn(entry -> entry.action().equals("checkpoint.created"))
        .singleElement()
        .satisfies(
            entry ->
                assertThat(entry.detail())
                    .containsEntry(
                        "strayEntriesRemoved", List.of("empty-repo/.git", "full-repo/.git")));
  }

  @Test
  void shouldRefuseWorkspaceThatPointsOutsideTheWorktreeDirectory() throws IOException {
    // given a workspace record aimed at the user's own checkout
    WorkspaceFixture fixture = new WorkspaceFixture(temp);
    Workspace real = fixture.prepare("loop-one");
    Workspace forged =
        new Workspace(
            real.loopId(),
            real.repository(),
            fixture.repository.toRealPath().toString(),
            real.branch(),
            real.baseSha());

    // when / then
    assertThatThrownBy(() -> fixture.checkpoint(forged, 1))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("InvalidWorkspace");
            });
    assertThat(history(fixture.repository, "forge/loop-one")).containsExactly(real.baseSha());
  }
}
