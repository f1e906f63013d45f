package dev.forge.activities.sandbox;

import dev.forge.workflows.sandbox.SandboxStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A step that passed validation, with what the container needs: resolved paths and the
 * environment, which holds credential values. {@link #toString()} never shows them.
 *
 * @param step the step as the workflow sent it
 * @param workspace the work tree, symlinks resolved
 * @param gitMetadata the work tree's {@code .git} (a worktree's gitdir file), mounted read-only
 * @param mounts the extra mounts, sources resolved to real paths inside the work tree
 * @param env {@code NAME=value} entries, credential values included
 * @param redactor masks those values
 */
record PreparedStep(
    SandboxStep step,
    Path workspace,
    Optional<Path> gitMetadata,
    List<MountResolver.Resolved> mounts,
    List<String> env,
    Redactor redactor) {

  PreparedStep {
    mounts = List.copyOf(mounts);
    env = List.copyOf(env);
  }

  @Override
  public String toString() {
    return "PreparedStep[loop="
        + step.loopId()
        + ", iteration="
        + step.iteration()
        + ", step="
        + step.step()
        + ", workspace="
        + workspace
        + ", env=<"
        + env.size()
        + " entries, values hidden>]";
  }
}
