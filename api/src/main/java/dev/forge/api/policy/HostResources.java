package dev.forge.api.policy;

/**
 * What the host that runs sandboxes has, so that no loop is granted more: provided where the API
 * runs with the worker (the embedded platform reads it from the Docker engine and the work trees'
 * disk). Without one, only the operator's maxima apply.
 */
public interface HostResources {

  /** CPUs the Docker engine has. */
  int cpus();

  /** Memory the Docker engine has, in bytes. */
  long memoryBytes();

  /** The disk that holds the work trees' quota images, or {@code null} when quotas are off. */
  Disk worktreeDisk();

  /**
   * @param usableBytes free space a new image could use
   * @param unwrittenBytes what existing quota images may still take: their sizes less what they
   *     already use
   */
  record Disk(long usableBytes, long unwrittenBytes) {}
}
