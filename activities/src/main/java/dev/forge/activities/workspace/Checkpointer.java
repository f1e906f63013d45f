package dev.forge.activities.workspace;

import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointRequest;
import java.util.List;

/**
 * Commits a loop's work tree to its branch with plumbing: stage, write a tree, create the commit,
 * then move the branch with a compare-and-swap. A retry after the commit was created but before the
 * branch moved creates a second, identical commit and moves the branch once; the first stays a
 * harmless dangling object. A retry after the branch moved finds its own trailers on the tip.
 * Every checkpoint commit is also kept by its own ref, {@code refs/forge/<loopId>/<key>}, so that
 * it stays reachable for audit and rollback after the branch is squashed or rolled back.
 *
 * <p>Nested {@code .git} entries are removed first: git would record a nested repository as a bare
 * gitlink without its files, and fails outright on one without commits, which would make every
 * retry of the checkpoint fail. Without them, their files are checkpointed like any other.
 */
final class Checkpointer {

  private final Git git;
  private final WorkspaceAudit audit;

  Checkpointer(Git git, WorkspaceAudit audit) {
    this.git = git;
    this.audit = audit;
  }

  Checkpoint checkpoint(LoopWorktree loop, CheckpointRequest request) {
    GitContext context = loop.git();
    String key = request.key();
    String tip = Branches.tip(git, loop);
    CommitObject head = CommitObject.read(git, context, tip);
    if (CheckpointMessage.isCheckpoint(head.message(), loop.loopId(), key)) {
      keep(loop, key, tip);
      return done(
          loop, request, tip, true, Branches.changedFiles(git, context, head.firstParent(), tip), List.of());
    }
    List<String> scrubbed = WorktreeScrubber.scrub(loop.worktree());
    git.run(context, "add", "--all");
    String tree = ObjectIds.fromGit(git.run(context, "write-tree").stdout(), "a tree id");
    if (tree.equals(head.tree())) {
      return done(loop, request, tip, false, List.of(), scrubbed);
    }
    String message =
        CheckpointMessage.format(loop.loopId(), request.iteration(), request.kind(), key);
    String commit =
        ObjectIds.fromGit(
            git.runWithInput(context, message, "commit-tree", "--no-gpg-sign", "-p", tip, tree)
                .stdout(),
            "a commit id");
    git.run(context, "update-ref", "-m", "forge: checkpoint " + key, loop.ref(), commit, tip);
    keep(loop, key, commit);
    return done(loop, request, commit, true, Branches.changedFiles(git, context, tip, commit), scrubbed);
  }

  private void keep(LoopWorktree loop, String key, String commit) {
    git.run(loop.git(), "update-ref", "-m", "forge: keep checkpoint " + key,
        loop.checkpointRef(key), commit);
  }

  private Checkpoint done(
      LoopWorktree loop,
      CheckpointRequest request,
      String sha,
      boolean created,
      List<String> files,
      List<String> scrubbed) {
    Checkpoint checkpoint =
        new Checkpoint(request.iteration(), request.kind(), sha, created, files.size());
    audit.checkpoint(loop.loopId(), request.key(), checkpoint, files, scrubbed);
    return checkpoint;
  }
}
