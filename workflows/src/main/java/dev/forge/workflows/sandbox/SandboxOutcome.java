package dev.forge.workflows.sandbox;

/** How a sandbox container ended. Anything but {@link #EXITED} was stopped by Forge or the kernel. */
public enum SandboxOutcome {
  /** The command exited by itself; see the exit code. */
  EXITED,
  /** The wall-clock limit was reached and the container was killed. */
  TIMED_OUT,
  /** The kernel's OOM killer stopped the container at its memory limit. */
  OOM_KILLED;

  public boolean isFailure() {
    return this != EXITED;
  }
}
