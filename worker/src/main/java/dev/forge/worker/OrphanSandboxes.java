package dev.forge.worker;

import dev.forge.activities.sandbox.SandboxReaper;
import dev.forge.activities.workspace.GitWorkspaceActivities;
import dev.forge.audit.AuditLog;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Removes sandbox containers and networks nobody will clean up: those of loops that are no longer
 * running (a worker that crashed mid-step leaves its container behind) and stopped ones left over
 * from retries; and releases the disk quotas of loops that have ended. Runs shortly after start-up
 * and then periodically. When Temporal cannot be asked, a loop counts as running, so nothing is
 * removed on a guess; nor is anything of a loop this Forge did not start.
 */
final class OrphanSandboxes implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OrphanSandboxes.class);

  private final SandboxReaper reaper;
  private final GitWorkspaceActivities workspaces;
  private final WorkflowClient client;
  private final AuditLog audit;
  private final Duration period;
  private ScheduledExecutorService scheduler;

  OrphanSandboxes(SandboxReaper reaper, GitWorkspaceActivities workspaces, WorkflowClient client,
      AuditLog audit, Duration period) {
    this.reaper = reaper;
    this.workspaces = workspaces;
    this.client = client;
    this.audit = audit;
    this.period = period;
  }

  void sweep() {
    try {
      List<String> removed = reaper.removeOrphans(this::isRunning);
      if (!removed.isEmpty()) {
        log.info("removed {} orphaned sandbox object(s): {}", removed.size(), removed);
      }
    } catch (RuntimeException e) {
      log.warn("sweeping orphaned sandbox containers failed; will try again in {}", period, e);
    }
    try {
      // The work trees directory is this Forge's alone: Temporal's word is enough there.
      List<String> released = workspaces.releaseEndedDiskQuotas(this::isRunningInTemporal);
      if (!released.isEmpty()) {
        log.info("released the disk quotas of {} ended loop(s): {}", released.size(), released);
      }
    } catch (RuntimeException e) {
      log.warn("releasing disk quotas of ended loops failed; will try again in {}", period, e);
    }
  }

  /**
   * Whether the loop may still run steps, or is not this Forge's to judge. A loop Temporal does
   * not know is ended only when this Forge's audit log knows it: another Forge sharing the Docker
   * engine (with its own Temporal and database) may be running it.
   */
  boolean isRunning(String loopId) {
    Boolean running = temporalSaysRunning(loopId);
    return running != null ? running : !ours(loopId);
  }

  /** Whether Temporal says the loop runs (or cannot be asked); a loop it does not know has ended. */
  boolean isRunningInTemporal(String loopId) {
    return Boolean.TRUE.equals(temporalSaysRunning(loopId));
  }

  /** Temporal's answer; {@code null} when it does not know the loop, true when it cannot be asked. */
  private Boolean temporalSaysRunning(String loopId) {
    try {
      return client.newUntypedWorkflowStub(loopId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      return true;
    }
  }

  private boolean ours(String loopId) {
    try {
      return audit.knowsLoop(loopId);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "forge-orphan-sandboxes");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::sweep, 10, period.toSeconds(), TimeUnit.SECONDS);
  }

  /** Sweeps once more on the way down, so that loops that ended meanwhile hold no mounts. */
  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
      sweep();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
