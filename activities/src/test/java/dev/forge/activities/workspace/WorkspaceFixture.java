package dev.forge.activities.workspace;

import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.SandboxUser;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A user repository, a worktree directory and the activities under test, in a temp dir. */
final class WorkspaceFixture {

  static final SandboxUser NOT_ROOT = new SandboxUser(4321, 4321, false);
  static final SandboxUser ROOT = new SandboxUser(1000, 1000, true);

  final Path repository;
  final Path worktrees;
  final InMemoryAuditLog audit = new InMemoryAuditLog();
  final GitWorkspaceActivities activities;

  WorkspaceFixture(Path tempDir) {
    this(tempDir, NOT_ROOT);
  }

  WorkspaceFixture(Path tempDir, SandboxUser user) {
    this(tempDir, user, null);
  }

  /** With {@code git} given, the activities run git through it (a test seam). */
  WorkspaceFixture(Path tempDir, SandboxUser user, Git git) {
    this(tempDir, user, git, DiskQuotaMode.ENFORCE, QuotaTools.DEFAULT);
  }

  /** With disk quotas in {@code mode}, made and mounted by {@code tools} (a test seam). */
  WorkspaceFixture(Path tempDir, SandboxUser user, DiskQuotaMode mode, QuotaTools tools) {
    this(tempDir, user, null, mode, tools);
  }

  private WorkspaceFixture(
      Path tempDir, SandboxUser user, Git git, DiskQuotaMode mode, QuotaTools tools) {
    this.repository =
        TestRepos.repository(
            tempDir.resolve("repo"),
            Map.of(
                "README.md",
                "# demo\n",
                "src/App.java",
                "class App {}\n",
                ".gitignore",
                "*.log\n"));
    this.worktrees = tempDir.resolve("worktrees");
    WorkspaceSettings settings =
        new WorkspaceSettings(worktrees, user, Duration.ofSeconds(30), "git", mode);
    this.activities =
        new GitWorkspaceActivities(
            settings,
            audit,
            git == null ? new Git(settings.gitExecutable(), settings.gitTimeout()) : git,
            tools);
  }

  /** Prepares the loop without a disk quota. */
  Workspace prepare(String loopId) {
    return prepare(loopId, 0);
  }

  Workspace prepare(String loopId, long diskQuotaBytes) {
    return activities.prepare(loopId, repository.toString(), diskQuotaBytes);
  }

  Checkpoint checkpoint(Workspace workspace, int iteration) {
    return activities.checkpoint(
        new CheckpointRequest(workspace, iteration, CheckpointKind.BEFORE_ITERATION));
  }

  static Path path(Workspace workspace) {
    return Path.of(workspace.path());
  }
}
