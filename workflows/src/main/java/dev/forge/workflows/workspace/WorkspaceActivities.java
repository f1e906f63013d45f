package dev.forge.workflows.workspace;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Git on the host: the loop's work tree, its checkpoints and rollbacks. Git runs with hooks
 * disabled and without system or global configuration, with its directories given explicitly, so
 * nothing a sandbox wrote can make it run code.
 */
@ActivityInterface(namePrefix = "Workspace")
public interface WorkspaceActivities {

  /**
   * Creates (or, on retry, finds) the loop's work tree and branch from the repository's HEAD.
   * Fails non-retryably with type {@code InvalidRepository} when the path is not a git repository
   * with at least one commit.
   *
   * <p>With a disk quota, the work tree lives on a file system of exactly that size, so nothing
   * the sandbox writes through it can use more of the host's disk; {@code 0} means no quota
   * (histories recorded before quotas existed).
   */
  @ActivityMethod
  Workspace prepare(String loopId, String repository, long diskQuotaBytes);

  /**
   * Commits the work tree to the loop's branch with trailers naming loop, iteration and checkpoint
   * key. Idempotent: when the branch already holds a checkpoint with the same key, returns it.
   * When nothing changed, returns the branch's head commit with {@code created = false}.
   */
  @ActivityMethod
  Checkpoint checkpoint(CheckpointRequest request);

  /**
   * Replaces the commits on the loop's branch with one commit on top of its base, with the same
   * tree, whose message summarises the loop; every checkpoint stays reachable from its ref {@code
   * refs/forge/<loopId>/<key>}. Idempotent: when the branch's tip is already the squash, returns
   * it. When the loop changed nothing, returns the base with {@code created = false}.
   */
  @ActivityMethod
  Checkpoint squash(SquashRequest request);

  /**
   * Resets branch and work tree to a checkpoint of this loop (one on the branch or one kept by a
   * checkpoint ref) and removes untracked files. Fails non-retryably with type {@code
   * NotACheckpoint} for any other commit.
   */
  @ActivityMethod
  void reset(ResetRequest request);
}
