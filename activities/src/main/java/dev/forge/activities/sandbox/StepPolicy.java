package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFailures.policyViolation;

import dev.forge.spec.policy.EnvGrant;
import dev.forge.spec.policy.EnvPolicy;
import dev.forge.workflows.sandbox.SandboxStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's policy as the sandbox activity applies it before every step, whatever the loop's
 * config says: the API checked it when the loop started, but the policy may have changed since,
 * and a step may reach the worker by another way than the API. Refusals are non-retryable
 * failures that name variables, never values.
 */
public interface StepPolicy {

  /** Refuses the step when the policy does not allow what its sandbox asks for. */
  void check(SandboxStep step);

  /**
   * Host variables by {@code forge.policy.env-grants}: each must be granted to the loop's
   * repository and starter, as {@code startOf} finds them (the API's record of the start).
   */
  static StepPolicy envGrants(List<EnvGrant> grants, Function<String, Optional<Owner>> startOf) {
    List<EnvGrant> fixed = List.copyOf(grants);
    return step -> {
      List<String> asked = new ArrayList<>(step.sandbox().env().values());
      if (step.model() != null) {
        // The model key stays on the worker, but it is a host variable all the same.
        asked.add(step.model().credential());
      }
      if (asked.isEmpty()) {
        return;
      }
      Owner owner = startOf.apply(step.loopId()).orElseThrow(() -> policyViolation(
          "loop " + step.loopId() + " has no recorded start, so the host variables its sandbox"
              + " asks for cannot be checked against the operator's policy; none are passed"));
      List<String> refused = EnvPolicy.refused(asked, fixed,
          owner.repository(), owner.startedBy());
      if (!refused.isEmpty()) {
        throw policyViolation("host variable" + (refused.size() == 1 ? " " : "s ")
            + String.join(", ", refused) + " not granted to loops on " + owner.repository()
            + " started by " + owner.startedBy() + " (forge.policy.env-grants); the step did not"
            + " run");
      }
    };
  }

  /** Who started a loop, and on which repository. */
  record Owner(String startedBy, String repository) {}
}
