package dev.forge.activities.workspace;

import io.temporal.failure.ApplicationFailure;

/**
 * The non-retryable failures of the workspace activities: retrying cannot help, a person or the
 * workflow has to act. Their types are what a workflow matches on.
 */
final class WorkspaceFailures {

  static final String INVALID_REPOSITORY = "InvalidRepository";
  static final String INVALID_LOOP_ID = "InvalidLoopId";
  static final String INVALID_WORKSPACE = "InvalidWorkspace";
  static final String WORKSPACE_CONFLICT = "WorkspaceConflict";
  static final String NOT_A_CHECKPOINT = "NotACheckpoint";
  static final String INVALID_DISK_QUOTA = "InvalidDiskQuota";
  static final String DISK_QUOTA_UNAVAILABLE = "DiskQuotaUnavailable";

  private WorkspaceFailures() {}

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
