package dev.forge.workflows.sandbox;

/**
 * How a sandbox container ended. Anything but {@link #EXITED} means Forge or the kernel stopped it
 * at a limit; the loop ends FAILED with that outcome.
 */
public enum SandboxOutcome {
  /** The command exited by itself; see the exit code. */
  EXITED,
  /** The wall-clock limit was reached and the container was killed. */
  TIMED_OUT,
  /** The kernel's OOM killer stopped the container at its memory limit. */
  OOM_KILLED,
  /** The process limit was reached (a fork bomb, or a build that needs a higher limit). */
  PIDS_EXHAUSTED,
  /** The step printed more than its output limit; it was killed and the middle was dropped. */
  OUTPUT_TRUNCATED,
  /** The work tree's file system (its disk quota) filled up. */
  QUOTA_EXCEEDED;

  public boolean isFailure() {
    return this != EXITED;
  }
}
