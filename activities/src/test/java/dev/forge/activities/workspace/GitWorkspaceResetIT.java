package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.git;
import static dev.forge.activities.workspace.TestRepos.history;
import static dev.forge.activities.workspace.TestRepos.read;
import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitWorkspaceResetIT {

  @TempDir Path temp;
  WorkspaceFixture fixture;
  Workspace workspace;
  Path tree;

  @BeforeEach
  void setUp() {
    fixture = new WorkspaceFixture(temp);
    workspace = fixture.prepare("loop-one");
    tree = WorkspaceFixture.path(workspace);
  }

  @Test
  void shouldRestoreCheckpointAndRemoveUntrackedAndIgnoredFilesButKeepGitFile() throws IOException {
    // given
    write(tree.resolve("src/App.java"), "class App { int v1; }\n");
    Checkpoint first = fixture.checkpoint(workspace, 1);
    write(tree.resolve("src/App.java"), "class App { int v2; }\n");
    write(tree.resolve("second.txt"), "2\n");
    fixture.checkpoint(workspace, 2);
    write(tree.resolve("untracked/deep/file.txt"), "x\n");
    write(tree.resolve("build.log"), "ignored\n");
    String pointer = read(tree.resolve(".git"));

    // when
    fixture.activities.reset(
        new ResetRequest(workspace, first.sha(), "iteration 2 broke the build"));

    // then
    assertThat(read(tree.resolve("src/App.java"))).isEqualTo("class App { int v1; }\n");
    assertThat(tree.resolve("second.txt")).doesNotExist();
    assertThat(tree.resolve("untracked")).doesNotExist();
    assertThat(tree.resolve("build.log")).doesNotExist();
    assertThat(Files.isRegularFile(tree.resolve(".git"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(read(tree.resolve(".git"))).isEqualTo(pointer);
    assertThat(git(fixture.repository, "rev-parse", "forge/loop-one").strip())
        .isEqualTo(first.sha());
    assertThat(fixture.audit.all())
        .filteredOn(entry -> entry.action().equals("workspace.reset"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.target()).isEqualTo(first.sha());
              assertThat(entry.detail()).containsEntry("reason", "iteration 2 broke the build");
            });
  }

  @Test
  void shouldCheckpointAgainAfterReset() {
    // given
    write(tree.resolve("a.txt"), "1\n");
    Checkpoint first = fixture.checkpoint(workspace, 1);
    write(tree.resolve("a.txt"), "2\n");
    Checkpoint abandoned = fixture.checkpoint(workspace, 2);
    fixture.activities.reset(new ResetRequest(workspace, first.sha(), "retry iteration 2"));
    write(tree.resolve("a.txt"), "2 again\n");

    // when
    Checkpoint redone = fixture.checkpoint(workspace, 2);

    // then
    assertThat(redone.created()).isTrue();
    assertThat(redone.sha()).isNotEqualTo(abandoned.sha());
    assertThat(history(fixture.repository, "forge/loop-one"))
        .containsExactly(redone.sha(), first.sha(), workspace.baseSha());
    assertThat(fixture.audit.all())
        .filteredOn(entry -> entry.action().equals("checkpoint.created"))
        .extracting(StoredAuditEntry::target)
        .containsExactly(first.sha(), abandoned.sha(), redone.sha());
  }

  @Test
  void shouldResetToTheBaseCommit() {
    // given
    write(tree.resolve("a.txt"), "1\n");
    fixture.checkpoint(workspace, 1);

    // when
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "start over"));

    // then
    assertThat(tree.resolve("a.txt")).doesNotExist();
    assertThat(history(fixture.repository, "forge/loop-one")).containsExactly(workspace.baseSha());
  }

  @Test
  void shouldRefuseCommitThatIsNotOnTheLoopsBranch() {
    // given a commit the user made on main after the loop started
    write(fixture.repository.resolve("user.txt"), "u\n");
    String foreign = TestRepos.commitAll(fixture.repository, "user work");

    // when / then
    assertNotACheckpoint(foreign, "is neither on branch forge/loop-one");
  }

  @Test
  void shouldRefuseCommitFromAnotherLoop() {
    // given
    Workspace other = fixture.prepare("loop-two");
    write(WorkspaceFixture.path(other).resolve("b.txt"), "b\n");
    Checkpoint othersCheckpoint = fixture.checkpoint(other, 1);

    // when / then
    assertNotACheckpoint(othersCheckpoint.sha(), "is neither on branch forge/loop-one");
  }

  @Test
  void shouldRefuseCommitOlderThanTheLoopsBase() {
    // given the repository's first commit, reachable from the branch but before the loop
    write(fixture.repository.resolve("later.txt"), "l\n");
    TestRepos.commitAll(fixture.repository, "later");
    Workspace later = fixture.prepare("loop-later");
    String older = workspace.baseSha();

    // when / then
    assertThatThrownBy(() -> fixture.activities.reset(new ResetRequest(later, older, "too far")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure ->
                assertThat(failure.getOriginalMessage()).contains("older than the loop's base"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HEAD~1",
        "--output=/tmp/forge-pwned",
        "abc123",
        "0000000000000000000000000000000000000000"
      })
  void shouldRefuseAnythingButAnExistingFullCommitId(String sha) {
    assertNotACheckpoint(sha, sha);
    assertThat(Path.of("/tmp/forge-pwned")).doesNotExist();
  }

  @Test
  void shouldRemovePlantedGitDirectoriesAndFifosThatCleanLeavesBehind() throws Exception {
    // given a .git inside a tracked directory (git clean never lists entries named .git) and a FIFO
    write(tree.resolve("src/.git/config"), "[core]\n\tfsmonitor = /tmp/evil\n");
    write(tree.resolve("src/nested/.git"), "gitdir: /tmp/evil\n");
    Path fifo = tree.resolve("src/pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    // when
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "clean up"));

    // then
    assertThat(tree.resolve("src/.git")).doesNotExist();
    assertThat(tree.resolve("src/nested")).doesNotExist();
    assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(read(tree.resolve("src/App.java"))).isEqualTo("class App {}\n");
    assertThat(fixture.audit.all())
        .filteredOn(entry -> entry.action().equals("workspace.reset"))
        .singleElement()
        .satisfies(
            entry ->
                assertThat(entry.detail())
                    .containsEntry("strayEntriesRemoved", List.of("src/.git", "src/pipe")));
  }

  @Test
  void shouldWriteOneAuditEntryWhenTheSameResetIsRepeated() {
    // when
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "once"));
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "once"));

    // then
    assertThat(fixture.audit.all())
        .filteredOn(entry -> entry.action().equals("workspace.reset"))
        .hasSize(1);
  }

  private void assertNotACheckpoint(String sha, String problem) {
    assertThatThrownBy(() -> fixture.activities.reset(new ResetRequest(workspace, sha, "test")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("NotACheckpoint");
              assertThat(failure.getOriginalMessage()).contains(problem);
            });
    assertThat(history(fixture.repository, "forge/loop-one")).contains(workspace.baseSha());
  }
}
