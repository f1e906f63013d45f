package dev.forge.activities.workspace;

import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of the workspace activities. Most are non-retryable: retrying cannot help, a person
 * or the workflow has to act. Their types are what a workflow matches on. Git and I/O trouble is
 * retryable and reaches the workflow in Forge's words only ({@link #translated}).
 */
final class WorkspaceFailures {

  static final String INVALID_REPOSITORY = "InvalidRepository";
  static final String INVALID_LOOP_ID = "InvalidLoopId";
  static final String INVALID_WORKSPACE = "InvalidWorkspace";
  static final String WORKSPACE_CONFLICT = "WorkspaceConflict";
  static final String NOT_A_CHECKPOINT = "NotACheckpoint";
  static final String INVALID_DISK_QUOTA = "InvalidDiskQuota";
  static final String DISK_QUOTA_UNAVAILABLE = "DiskQuotaUnavailable";

  /** Git failed on the worker (timed out, could not start, refused). Retryable. */
  static final String GIT_ERROR = "WorkspaceGitError";
  /** The worker could not read or write the work tree or its quota image. Retryable. */
  static final String IO_ERROR = "WorkspaceIoError";
  /** Anything else that went wrong inside the activity. Retryable. */
  static final String UNEXPECTED = "WorkspaceUnexpectedError";

  private static final Logger log = LoggerFactory.getLogger(WorkspaceFailures.class);

  private WorkspaceFailures() {}

  /**
   * Runs an activity's body; what it throws other than Forge's own failures (git's error output,
   * Java I/O messages naming host paths, exception class names) is logged on the worker only and
   * reaches the workflow as a retryable failure in Forge's words.
   */
  static <T> T translated(String activity, Supplier<T> body) {
    try {
      return body.get();
    } catch (ApplicationFailure | ActivityCompletionException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("the workspace activity {} failed", activity, e);
      throw inForgesWords(activity, e);
    }
  }

  static ApplicationFailure inForgesWords(String activity, RuntimeException e) {
    String what;
    String type;
    if (e instanceof GitException) {
      what = "git failed on the worker";
      type = GIT_ERROR;
    } else if (e instanceof UncheckedIOException) {
      what = "the worker could not read or write the loop's work tree";
      type = IO_ERROR;
    } else {
      what = "the workspace step failed unexpectedly";
      type = UNEXPECTED;
    }
    return ApplicationFailure.newFailure(what + " during " + activity
        + "; it is retried, and the worker's log has the details", type);
  }

  static ApplicationFailure invalidRepository(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_REPOSITORY);
  }

  static ApplicationFailure invalidLoopId(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_LOOP_ID);
  }

  static ApplicationFailure invalidWorkspace(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_WORKSPACE);
  }

  static ApplicationFailure conflict(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, WORKSPACE_CONFLICT);
  }

  static ApplicationFailure notACheckpoint(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, NOT_A_CHECKPOINT);
  }

  static ApplicationFailure invalidDiskQuota(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_DISK_QUOTA);
  }

  /** The quota cannot be enforced on this worker: failing beats running without it. */
  static ApplicationFailure diskQuotaUnavailable(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, DISK_QUOTA_UNAVAILABLE);
  }
}
