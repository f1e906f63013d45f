package dev.forge.activities.workspace;

import dev.forge.audit.AuditLog;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import dev.forge.workflows.workspace.WorkspaceActivities;

/**
 * The workspace activities on the host's git: a worktree per loop, checkpoint commits on {@code
 * forge/<loopId>} and resets to them. Every git invocation goes through {@link Git}, which names
 * git's directories explicitly and disables everything a sandbox could use to run code on the host.
 */
public final class GitWorkspaceActivities implements WorkspaceActivities {

  private final WorkspaceLocator locator;
  private final WorkspacePreparer preparer;
  private final Checkpointer checkpointer;
  private final WorkspaceResetter resetter;

  public GitWorkspaceActivities(WorkspaceSettings settings, AuditLog audit) {
    this(settings, audit, new Git(settings.gitExecutable(), settings.gitTimeout()));
  }

  GitWorkspaceActivities(WorkspaceSettings settings, AuditLog auditLog, Git git) {
    WorkspaceAudit audit = new WorkspaceAudit(auditLog);
    WorktreeOwnership ownership = new WorktreeOwnership(settings.sandboxUser());
    boolean forgeIsRoot = settings.sandboxUser().forgeIsRoot();
    this.locator = new WorkspaceLocator(settings.worktreesRoot());
    this.preparer = new WorkspacePreparer(git, ownership, audit, forgeIsRoot);
    this.checkpointer = new Checkpointer(git, audit);
    this.resetter = new WorkspaceResetter(git, ownership, audit, forgeIsRoot);
  }

  @Override
  public Workspace prepare(String loopId, String repository) {
    return preparer.prepare(locator.forNewLoop(loopId, repository));
  }

  @Override
  public Checkpoint checkpoint(CheckpointRequest request) {
    if (request == null || request.kind() == null || request.iteration() < 0) {
      throw WorkspaceFailures.invalidWorkspace(
          "a checkpoint needs a workspace, a kind and an iteration of 0 or more, got " + request);
    }
    return checkpointer.checkpoint(locator.forWorkspace(request.workspace()), request);
  }

  @Override
  public void reset(ResetRequest request) {
    if (request == null) {
      throw WorkspaceFailures.invalidWorkspace("no reset request given");
    }
    resetter.reset(locator.forWorkspace(request.workspace()), request.workspace(), request);
  }
}
