package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.git;
import static dev.forge.activities.workspace.TestRepos.read;
import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorkspacePrepareIT {

  @TempDir Path temp;
  WorkspaceFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new WorkspaceFixture(temp);
  }

  @Test
  void shouldCreateWorktreeOnNewBranchAtHead() throws IOException {
    // given
    String head = git(fixture.repository, "rev-parse", "HEAD").strip();

    // when
    Workspace workspace = fixture.prepare("loop-one");

    // then
    Path worktree = fixture.worktrees.toRealPath().resolve("loop-one");
    assertThat(workspace)
        .isEqualTo(
            new Workspace(
                "loop-one",
                fixture.repository.toRealPath().toString(),
                worktree.toString(),
                "forge/loop-one",
                head));
    assertThat(git(fixture.repository, "rev-parse", "refs/heads/forge/loop-one").strip())
        .isEqualTo(head);
    assertThat(read(worktree.resolve("src/App.java"))).isEqualTo("class App {}\n");
    assertThat(read(worktree.resolve(".git")))
        .isEqualTo(
            "gitdir: " + fixture.repository.toRealPath().resolve(".git/worktrees/loop-one") + "\n");
    assertThat(git(fixture.repository, "worktree", "list", "--porcelain"))
        .contains("worktree " + worktree + "\nHEAD " + head + "\nbranch refs/heads/forge/loop-one");
  }

  @Test
  void shouldLeaveUsersCheckoutUntouched() throws IOException {
    // given the user has a staged change, an unstaged change and an untracked file
    write(fixture.repository.resolve("README.md"), "# staged\n");
    git(fixture.repository, "add", "README.md");
    write(fixture.repository.resolve("src/App.java"), "class App { int unstaged; }\n");
    write(fixture.repository.resolve("notes.txt"), "mine\n");
    String statusBefore = git(fixture.repository, "status", "--porcelain=v2", "--branch");
    byte[] indexBefore = Files.readAllBytes(fixture.repository.resolve(".git/index"));

    // when
    Workspace workspace = fixture.prepare("loop-one");

    // then
    assertThat(git(fixture.repository, "status", "--porcelain=v2", "--branch"))
        .isEqualTo(statusBefore);
    assertThat(git(fixture.repository, "symbolic-ref", "HEAD").strip())
        .isEqualTo("refs/heads/main");
    assertThat(Files.readAllBytes(fixture.repository.resolve(".git/index"))).isEqualTo(indexBefore);
    assertThat(read(fixture.repository.resolve("src/App.java")))
        .isEqualTo("class App { int unstaged; }\n");
    assertThat(read(WorkspaceFixture.path(workspace).resolve("README.md"))).isEqualTo("# demo\n");
    assertThat(WorkspaceFixture.path(workspace).resolve("notes.txt")).doesNotExist();
  }

  @Test
  void shouldReturnSameWorkspaceWhenPreparedAgain() {
    // given
    Workspace first = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(first).resolve("work.txt"), "in progress\n");

    // when
    Workspace second = fixture.prepare("loop-one");

    // then
    assertThat(second).isEqualTo(first);
    assertThat(read(WorkspaceFixture.path(first).resolve("work.txt"))).isEqualTo("in progress\n");
    assertThat(fixture.audit.all())
        .extracting(StoredAuditEntry::action)
        .containsExactly("workspace.prepared");
  }

  @Test
  void shouldKeepOriginalBaseWhenPreparedAgainAfterCheckpointsAndNewUserCommits() {
    // given
    Workspace first = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(first).resolve("work.txt"), "iteration 1\n");
    fixture.checkpoint(first, 2);
    write(fixture.repository.resolve("user.txt"), "user keeps working\n");
    TestRepos.commitAll(fixture.repository, "user commit");

    // when
    Workspace again = fixture.prepare("loop-one");

    // then
    assertThat(again.baseSha()).isEqualTo(first.baseSha());
  }

  @Test
  void shouldAuditPreparation() {
    // when
    Workspace workspace = fixture.prepare("loop-one");

    // then
    assertThat(fixture.audit.all())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.requestId()).isEqualTo("prepare:loop-one");
              assertThat(entry.loopId()).isEqualTo("loop-one");
              assertThat(entry.actor()).isEqualTo("forge");
              assertThat(entry.target()).isEqualTo("forge/loop-one");
              assertThat(entry.detail())
                  .containsEntry("baseSha", workspace.baseSha())
                  .containsEntry("path", workspace.path());
            });
  }

  @Test
  void shouldRejectDirectoryWithoutGitDirectory() throws IOException {
    // given
    Path plain = Files.createDirectories(temp.resolve("plain"));

    // when / then
    assertInvalidRepository(plain.toString(), "has no .git directory");
  }

  @Test
  void shouldRejectRepositoryWithoutCommits() {
    // given
    Path empty = temp.resolve("empty");
    TestRepos.run(temp, "init", "--quiet", empty.toString());

    // when / then
    assertInvalidRepository(empty.toString(), "has no commit yet");
    assertThat(fixture.worktrees.resolve("loop-one")).doesNotExist();
  }

  @Test
  void shouldRejectFile() throws IOException {
    // given
    Path file = Files.writeString(temp.resolve("file.txt"), "not a repository");

    // when / then
    assertInvalidRepository(file.toString(), "is not a directory");
  }

  @Test
  void shouldRejectMissingAndRelativePaths() {
    assertInvalidRepository(temp.resolve("missing").toString(), "does not exist");
    assertInvalidRepository("relative/repo", "relative path");
  }

  @Test
  void shouldRejectLinkedWorktreeAsRepository() {
    // given a worktree made by the user, whose .git is a file
    Path userWorktree = temp.resolve("user-worktree");
    git(fixture.repository, "worktree", "add", "--quiet", "-b", "side", userWorktree.toString());

    // when / then
    assertInvalidRepository(userWorktree.toString(), "its .git is a file");
  }

  @Test
  void shouldRejectRepositoryThatContainsTheWorktreeDirectory() {
    // given Forge configured to put work trees inside the user's repository
    GitWorkspaceActivities misconfigured =
        new GitWorkspaceActivities(
            new WorkspaceSettings(
                fixture.repository.resolve("worktrees"), WorkspaceFixture.NOT_ROOT),
            fixture.audit);

    // when / then
    assertThatThrownBy(() -> misconfigured.prepare("loop-one", fixture.repository.toString(), 0))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("InvalidRepository");
              assertThat(failure.getOriginalMessage()).contains("overlap");
            });
    assertThat(git(fixture.repository, "branch", "--list", "forge/*")).isEmpty();
    assertThat(fixture.repository.resolve("worktrees")).doesNotExist();
  }

  @Test
  void shouldRejectInvalidLoopIdBeforeTouchingAnything() {
    // when / then
    assertThatThrownBy(() -> fixture.prepare("../escape"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("InvalidLoopId");
            });
    assertThat(fixture.worktrees).doesNotExist();
  }

  @Test
  void shouldRefuseWhenGitAlreadyHasAnotherWorktreeWithTheLoopsName() {
    // given the user's own worktree happens to be called like the loop
    git(
        fixture.repository,
        "worktree",
        "add",
        "--quiet",
        "-b",
        "mine",
        temp.resolve("other/loop-one").toString());

    // when / then
    assertThatThrownBy(() -> fixture.prepare("loop-one"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("WorkspaceConflict");
              assertThat(failure.getOriginalMessage()).contains("use another loop id");
            });
  }

  @Test
  void shouldRefuseNonEmptyDirectoryInTheWorktreesPlace() throws IOException {
    // given
    Files.createDirectories(fixture.worktrees.resolve("loop-one"));
    write(fixture.worktrees.resolve("loop-one/leftover.txt"), "x");

    // when / then
    assertThatThrownBy(() -> fixture.prepare("loop-one"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("WorkspaceConflict"));
  }

  @Test
  void shouldFinishCheckoutThatAnEarlierAttemptLeftHalfDone() throws IOException {
    // given an attempt killed inside 'git worktree add': still locked, a file not yet checked out
    Workspace first = fixture.prepare("loop-one");
    Path admin = fixture.repository.resolve(".git/worktrees/loop-one");
    Files.writeString(admin.resolve("locked"), "initializing");
    Files.delete(WorkspaceFixture.path(first).resolve("src/App.java"));

    // when
    Workspace second = fixture.prepare("loop-one");

    // then
    assertThat(second).isEqualTo(first);
    assertThat(read(WorkspaceFixture.path(first).resolve("src/App.java")))
        .isEqualTo("class App {}\n");
    assertThat(admin.resolve("locked")).doesNotExist();
  }

  private void assertInvalidRepository(String repository, String problem) {
    assertThatThrownBy(() -> fixture.activities.prepare("loop-one", repository, 0))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("InvalidRepository");
              assertThat(failure.getOriginalMessage()).contains(problem);
            });
  }
}
