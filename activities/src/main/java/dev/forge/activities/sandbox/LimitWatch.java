package dev.forge.activities.sandbox;

import dev.forge.workflows.sandbox.SandboxOutcome;
import java.util.List;
import java.util.Optional;

/**
 * Watches a running container for a limit Docker does not enforce by killing it: output beyond
 * the step's limit, the process limit reached, the work tree's disk quota full. Polled by {@link
 * ContainerRunner} while the container runs and once after it ended.
 */
@FunctionalInterface
interface LimitWatch {

  /** The limit the container went past, if any. */
  Optional<SandboxOutcome> breached(String containerId);

  /** The first breach any of the watches reports, in the order given. */
  static LimitWatch firstOf(List<LimitWatch> watches) {
    return containerId -> {
      for (LimitWatch watch : watches) {
        Optional<SandboxOutcome> breach = watch.breached(containerId);
        if (breach.isPresent()) {
          return breach;
        }
      }
      return Optional.empty();
    };
  }
}
