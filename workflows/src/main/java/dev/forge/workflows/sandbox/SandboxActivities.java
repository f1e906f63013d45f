package dev.forge.workflows.sandbox;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs commands in locked-down, short-lived Docker containers. */
@ActivityInterface(namePrefix = "Sandbox")
public interface SandboxActivities {

  /**
   * Runs one step in a fresh container and removes it afterwards, whatever happens.
   *
   * <p>The container runs as a non-root user with a read-only root file system, a size-capped
   * tmpfs {@code /tmp}, every capability dropped, no-new-privileges, no network, memory equal to
   * memory+swap, CPU and pids limits; the work tree is mounted read-write at {@code /workspace}
   * and its git metadata is not writable from inside. The activity heartbeats while the container
   * runs; when the activity is cancelled the container is killed. A retry first removes what an
   * earlier attempt of the same step left behind.
   *
   * <p>A container that times out or is OOM-killed is a normal result ({@link
   * SandboxResult#outcome()}), not an exception. Invalid input (an image that does not exist, a
   * work tree that is not there, a missing credential variable) fails with a non-retryable {@code
   * ApplicationFailure} of type {@code SandboxPolicyViolation} or {@code SandboxConfigError}.
   */
  @ActivityMethod
  SandboxResult run(SandboxStep step);
}
