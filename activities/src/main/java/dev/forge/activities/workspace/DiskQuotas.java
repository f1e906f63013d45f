package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A loop work tree's disk quota, for code outside the workspace activities (the sandbox runner).
 *
 * <p>A work tree with a quota is the mount point of its own ext4 file system, as big as the quota;
 * see {@code WorkspaceActivities.prepare}. Writing into a full one fails with {@code ENOSPC} ("No
 * space left on device"), and the host's disk is untouched. After a step, {@link #isFull} tells
 * whether that is how the step ended ({@code SandboxOutcome.QUOTA_EXCEEDED}).
 *
 * <p>A mount does not survive a reboot: the work tree is then an empty directory on the host's
 * disk, and a sandbox given it would write there without a quota, and without the loop's files.
 * Call {@link #ensureMounted} before a sandbox gets the work tree.
 */
public final class DiskQuotas {

  /** A quota file system with at most this much usable space left is full; see {@link #isFull}. */
  public static final long FULL_AT_BYTES = 1L << 20;

  /**
   * A quota file system with at most this share of its size left is full. A write that fails for
   * lack of space can leave nearly as much as its own size unused (up to about 1 MiB after {@code
   * dd bs=1M}), so "full" cannot mean "0 bytes left".
   */
  public static final double FULL_AT_FRACTION = 0.01;

  private static final QuotaFileSystems FILE_SYSTEMS = new QuotaFileSystems(QuotaTools.DEFAULT);

  private DiskQuotas() {}

  /**
   * Mounts the work tree's quota file system if it is not mounted (after a reboot, say).
   *
   * @return {@code true} when the work tree has a quota and it is now mounted, {@code false} when
   *     the work tree has no quota (nothing to do)
   * @throws io.temporal.failure.ApplicationFailure non-retryable, when the work tree has a quota
   *     that cannot be mounted (type {@code DiskQuotaUnavailable}), or when its directory holds
   *     files although the quota is not mounted (type {@code WorkspaceConflict})
   */
  public static boolean ensureMounted(Path workTree) {
    return FILE_SYSTEMS.ensureMounted(canonical(workTree));
  }

  /** Whether the work tree is on a Forge quota file system that is mounted right now. */
  public static boolean isQuotaMount(Path workTree) {
    Path worktree = canonical(workTree);
    return QuotaMounts.isMountedFrom(worktree, QuotaFileSystems.imageOf(worktree));
  }

  /**
   * The bytes the sandbox can still write into the work tree's quota file system; empty when the
   * work tree has no quota, or it is not mounted.
   */
  public static OptionalLong freeBytes(Path workTree) {
    Path worktree = canonical(workTree);
    if (!isQuotaMount(worktree)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(store(worktree).usable());
  }

  /**
   * Whether the work tree's quota file system is full: at most {@link #FULL_AT_BYTES} or {@link
   * #FULL_AT_FRACTION} of its size, whichever is more, is left. Always {@code false} for a work
   * tree without a mounted quota. A file system that has run out of inodes rather than space is
   * not detected.
   */
  public static boolean isFull(Path workTree) {
    Path worktree = canonical(workTree);
    if (!isQuotaMount(worktree)) {
      return false;
    }
    Space space = store(worktree);
    long threshold = Math.max(FULL_AT_BYTES, (long) (space.total() * FULL_AT_FRACTION));
    return space.usable() <= threshold;
  }

  private record Space(long total, long usable) {}

  private static Space store(Path worktree) {
    try {
      FileStore store = Files.getFileStore(worktree);
      return new Space(store.getTotalSpace(), store.getUsableSpace());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + worktree, e);
    }
  }

  /** The work tree's path with its parent's symbolic links resolved, as Forge names work trees. */
  private static Path canonical(Path workTree) {
    Path absolute = workTree.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null || absolute.getFileName() == null) {
      throw new IllegalArgumentException(workTree + " cannot be a loop's work tree");
    }
    try {
      return parent.toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      return absolute;
    }
  }
}
