package dev.forge.activities.workspace;

import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import java.util.List;

/**
 * Moves a loop's branch and work tree back to one of its checkpoints, then removes everything git
 * does not track, including ignored files and anything a sandbox planted for git to find later.
 */
final class WorkspaceResetter {

  private final Git git;
  private final WorktreeOwnership ownership;
  private final WorkspaceAudit audit;
  private final boolean forgeIsRoot;

  WorkspaceResetter(
      Git git, WorktreeOwnership ownership, WorkspaceAudit audit, boolean forgeIsRoot) {
    this.git = git;
    this.ownership = ownership;
    this.audit = audit;
    this.forgeIsRoot = forgeIsRoot;
  }

  void reset(LoopWorktree loop, Workspace workspace, ResetRequest request) {
    String sha = request.sha();
    String previous = Branches.tip(git, loop);
    requireCheckpoint(loop, workspace, sha, previous);
    GitContext context = loop.git();
    // Twice -f: also remove nested repositories. -x: also ignored files. -d: also directories.
    // Cleaning first frees what untracked files take, which on a full disk quota the files that
    // the reset writes need; it removes nothing the reset and the second clean would keep.
    git.run(context, "clean", "-f", "-f", "-d", "-x", "--quiet");
    git.run(context, "reset", "--hard", "--quiet", "--no-recurse-submodules", sha);
    git.run(context, "clean", "-f", "-f", "-d", "-x", "--quiet");
    List<String> scrubbed = WorktreeScrubber.scrub(loop.worktree());
    GitPointerFile.restore(loop, forgeIsRoot);
    ownership.handOver(loop.worktree());
    audit.reset(loop.loopId(), sha, request.reason(), previous, scrubbed);
  }

  /**
   * A checkpoint is the loop's base or a commit between base and the branch tip, or one the loop's
   * checkpoint refs keep (after a squash or an earlier rollback).
   */
  private void requireCheckpoint(LoopWorktree loop, Workspace workspace, String sha, String tip) {
    if (!ObjectIds.isFull(sha)) {
      throw WorkspaceFailures.notACheckpoint(
          "'"
              + sha
              + "' is not a full commit id: pass the sha of one of loop "
              + loop.loopId()
              + "'s checkpoints");
    }
    if (!ObjectIds.isFull(workspace.baseSha())) {
      throw WorkspaceFailures.invalidWorkspace(
          "the workspace's base '"
              + workspace.baseSha()
              + "' is not a commit id: prepare the workspace again");
    }
    GitContext context = loop.git();
    if (Branches.tipOrNull(git, context, sha) == null) {
      throw WorkspaceFailures.notACheckpoint(
          "commit "
              + sha
              + " does not exist in "
              + loop.repository()
              + ": pass one of the loop's checkpoints");
    }
    if (!Branches.isAncestor(git, context, sha, tip)
        && !Branches.reachableFromRefs(git, context, sha, loop.checkpointRefs())) {
      throw WorkspaceFailures.notACheckpoint(
          "commit "
              + sha
              + " is neither on branch "
              + loop.branch()
              + " nor one of the checkpoints kept under "
              + loop.checkpointRefs()
              + ": pass one of the loop's checkpoints");
    }
    if (!Branches.isAncestor(git, context, workspace.baseSha(), sha)) {
      throw WorkspaceFailures.notACheckpoint(
          "commit "
              + sha
              + " is older than the loop's base "
              + workspace.baseSha()
              + ": a loop can go back to its base or one of its checkpoints, not further");
    }
  }
}
