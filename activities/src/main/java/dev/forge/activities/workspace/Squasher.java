package dev.forge.activities.workspace;

import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.SquashRequest;
import dev.forge.workflows.workspace.Workspace;
import java.util.List;

/**
 * Squashes a loop's branch into one commit on its base: the tip's tree, a message summarising the
 * loop, trailers naming the loop and the commit it was squashed from. The branch moves with a
 * compare-and-swap; the unsquashed tip stays reachable from {@code refs/forge/<loopId>/squashed},
 * every checkpoint from its own ref. A retry after the branch moved finds the squash on the tip.
 */
final class Squasher {

  static final String KEY = "squash";
  static final String SQUASHED_FROM = "Forge-Squashed-From";

  private final Git git;
  private final WorkspaceAudit audit;

  Squasher(Git git, WorkspaceAudit audit) {
    this.git = git;
    this.audit = audit;
  }

  Checkpoint squash(LoopWorktree loop, Workspace workspace, SquashRequest request) {
    GitContext context = loop.git();
    String base = workspace.baseSha();
    if (!ObjectIds.isFull(base)) {
      throw WorkspaceFailures.invalidWorkspace("the workspace's base '" + base
          + "' is not a commit id: prepare the workspace again");
    }
    String tip = Branches.tip(git, loop);
    CommitObject head = CommitObject.read(git, context, tip);
    if (CheckpointMessage.isCheckpoint(head.message(), loop.loopId(), KEY)) {
      return done(loop, request, tip, true, base);
    }
    if (tip.equals(base)) {
      return done(loop, request, base, false, base);
    }
    if (!Branches.isAncestor(git, context, base, tip)) {
      throw WorkspaceFailures.invalidWorkspace("branch " + loop.branch() + " no longer descends"
          + " from the loop's base " + base + ": it was moved outside Forge; not squashing it");
    }
    git.run(context, "update-ref", "-m", "forge: keep the unsquashed branch",
        loop.checkpointRef("squashed"), tip);
    String message = CheckpointMessage.squash(loop.loopId(), request.iteration(),
        request.subject(), request.body(), tip);
    String commit = ObjectIds.fromGit(
        git.runWithInput(context, message, "commit-tree", "--no-gpg-sign", "-p", base,
            head.tree()).stdout(),
        "a commit id");
    git.run(context, "update-ref", "-m", "forge: squash", loop.ref(), commit, tip);
    git.run(context, "update-ref", "-m", "forge: keep the squash", loop.checkpointRef(KEY), commit);
    return done(loop, request, commit, true, base);
  }

  private Checkpoint done(
      LoopWorktree loop, SquashRequest request, String sha, boolean created, String base) {
    List<String> files = created
        ? Branches.changedFiles(git, loop.git(), base, sha)
        : List.of();
    Checkpoint checkpoint =
        new Checkpoint(request.iteration(), CheckpointKind.SQUASHED, sha, created, files.size());
    audit.checkpoint(loop.loopId(), KEY, checkpoint, files, List.of());
    return checkpoint;
  }
}
