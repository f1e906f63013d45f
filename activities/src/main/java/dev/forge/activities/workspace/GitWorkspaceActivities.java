package dev.forge.activities.workspace;

import dev.forge.audit.AuditLog;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.SquashRequest;
import dev.forge.workflows.workspace.Workspace;
import dev.forge.workflows.workspace.WorkspaceActivities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspace activities on the host's git: a worktree per loop, checkpoint commits on {@code
 * forge/<loopId>}, the squash that ends a loop, and resets to checkpoints. Every git invocation goes through {@link Git}, which names
 * git's directories explicitly and disables everything a sandbox could use to run code on the host.
 * A loop with a disk quota gets its work tree on a file system of that size ({@link
 * QuotaFileSystems}), mounted again before each use if a reboot unmounted it.
 */
public final class GitWorkspaceActivities implements WorkspaceActivities {

  private static final Logger log = LoggerFactory.getLogger(GitWorkspaceActivities.class);

  private final WorkspaceLocator locator;
  private final WorkspacePreparer preparer;
  private final Checkpointer checkpointer;
  private final WorkspaceResetter resetter;
  private final Squasher squasher;
  private final QuotaFileSystems quotas;
  private final WorkspaceSettings settings;

  public GitWorkspaceActivities(WorkspaceSettings settings, AuditLog audit) {
    this(settings, audit, new Git(settings.gitExecutable(), settings.gitTimeout()));
  }

  GitWorkspaceActivities(WorkspaceSettings settings, AuditLog auditLog, Git git) {
    this(settings, auditLog, git, QuotaTools.DEFAULT);
  }

  /** With {@code tools}, disk quotas are made and mounted with those programs (a test seam). */
  GitWorkspaceActivities(WorkspaceSettings settings, AuditLog auditLog, Git git, QuotaTools tools) {
    WorkspaceAudit audit = new WorkspaceAudit(auditLog);
    WorktreeOwnership ownership = new WorktreeOwnership(settings.sandboxUser());
    boolean forgeIsRoot = settings.sandboxUser().forgeIsRoot();
    this.locator = new WorkspaceLocator(settings.worktreesRoot());
    this.preparer = new WorkspacePreparer(git, ownership, audit, forgeIsRoot);
    this.checkpointer = new Checkpointer(git, audit);
    this.resetter = new WorkspaceResetter(git, ownership, audit, forgeIsRoot);
    this.squasher = new Squasher(git, audit);
    this.quotas = new QuotaFileSystems(tools);
    this.settings = settings;
    if (settings.diskQuota() == DiskQuotaMode.OFF) {
      log.warn(
          "disk quotas are off (forge.worker.disk-quota=off): loops run without one, so a sandbox"
              + " can fill the disk that holds {}",
          settings.worktreesRoot());
    }
  }

  @Override
  public Workspace prepare(String loopId, String repository, long diskQuotaBytes) {
    return WorkspaceFailures.translated("prepare", () -> {
      QuotaFileSystems.requireValidSize(diskQuotaBytes);
      LoopWorktree loop = locator.forNewLoop(loopId, repository);
      long quota = quotas.prepare(loop, diskQuotaBytes, settings);
      return preparer.prepare(loop, quota);
    });
  }

  @Override
  public Checkpoint checkpoint(CheckpointRequest request) {
    return WorkspaceFailures.translated("checkpoint", () -> {
      if (request == null || request.kind() == null || request.iteration() < 0) {
        throw WorkspaceFailures.invalidWorkspace(
            "a checkpoint needs a workspace, a kind and an iteration of 0 or more, got " + request);
      }
      LoopWorktree loop = locator.forWorkspace(request.workspace());
      quotas.ensureMounted(loop.worktree());
      return checkpointer.checkpoint(loop, request);
    });
  }

  @Override
  public Checkpoint squash(SquashRequest request) {
    return WorkspaceFailures.translated("squash", () -> {
      if (request == null || request.iteration() < 0) {
        throw WorkspaceFailures.invalidWorkspace(
            "a squash needs a workspace and an iteration of 0 or more, got " + request);
      }
      LoopWorktree loop = locator.forWorkspace(request.workspace());
      quotas.ensureMounted(loop.worktree());
      return squasher.squash(loop, request.workspace(), request);
    });
  }

  @Override
  public void reset(ResetRequest request) {
    WorkspaceFailures.translated("reset", () -> {
      if (request == null) {
        throw WorkspaceFailures.invalidWorkspace("no reset request given");
      }
      LoopWorktree loop = locator.forWorkspace(request.workspace());
      quotas.ensureMounted(loop.worktree());
      resetter.reset(loop, request.workspace(), request);
      return null;
    });
  }

  /**
   * Unmounts the loop's disk quota file system and deletes its image: everything in the work tree
   * goes with it, while the loop's branch and checkpoints stay in the repository (git lists the
   * work tree until {@code git worktree prune}). Nothing happens for a loop without a quota. Only
   * for a loop that is over: a sandbox still running on the work tree keeps the file system until
   * it ends.
   */
  public void releaseDiskQuota(String loopId) {
    LoopIds.requireValid(loopId);
    Path root = settings.worktreesRoot();
    if (!Files.isDirectory(root)) {
      return;
    }
    try {
      quotas.release(root.toRealPath().resolve(loopId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + root, e);
    }
  }

  /**
   * Releases the disk quotas of loops that have ended: their file systems are unmounted and their
   * images deleted, so that a finished loop holds no loop device or disk space. Its work is kept on
   * its branch. Called by the worker's periodic sweep.
   *
   * @param loopIsActive whether a loop may still run steps; its quota is kept
   * @return the loop ids whose quotas were released
   */
  public List<String> releaseEndedDiskQuotas(Predicate<String> loopIsActive) {
    Path images = settings.worktreesRoot().resolve(QuotaFileSystems.DIRECTORY);
    if (!Files.isDirectory(images)) {
      return List.of();
    }
    List<String> released = new ArrayList<>();
    try (Stream<Path> files = Files.list(images)) {
      for (Path image : files.toList()) {
        String name = image.getFileName().toString();
        if (!name.endsWith(".img")) {
          continue;
        }
        String loopId = name.substring(0, name.length() - ".img".length());
        if (LoopIds.isValid(loopId) && !loopIsActive.test(loopId)) {
          releaseDiskQuota(loopId);
          released.add(loopId);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + images, e);
    }
    return released;
  }
}
