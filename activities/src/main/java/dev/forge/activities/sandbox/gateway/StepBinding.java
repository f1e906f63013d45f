package dev.forge.activities.sandbox.gateway;

import dev.forge.spec.loop.AgentModel.ToolResults;
import dev.forge.spec.loop.ModelProvider;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one step of a loop may do through the gateway: which provider it reaches, which host
 * variable holds the key, and how much it may still spend.
 *
 * @param loopId the loop
 * @param iteration the loop's iteration, from 1
 * @param step the step's name
 * @param attempt the step's attempt (a retried activity has a new one), for idempotent recording
 * @param provider the one provider this step's calls go to
 * @param credentialVariable the host environment variable read at each call for the API key
 * @param budgetUsd what the loop may still spend in this step: its cap less what it has spent
 * @param toolResults what to do with flagged tool results
 */
public record StepBinding(
    String loopId,
    int iteration,
    String step,
    String attempt,
    ModelProvider provider,
    String credentialVariable,
    BigDecimal budgetUsd,
    ToolResults toolResults) {

  /** Checks every field, naming the one that is wrong. */
  public StepBinding {
    require(loopId, "loopId");
    require(step, "step");
    require(attempt, "attempt");
    require(credentialVariable, "credentialVariable");
    Objects.requireNonNull(provider, "provider is required");
    Objects.requireNonNull(toolResults, "toolResults is required");
    Objects.requireNonNull(budgetUsd, "budgetUsd is required");
    if (budgetUsd.signum() < 0) {
      throw new IllegalArgumentException("budgetUsd must not be negative, was " + budgetUsd);
    }
    if (iteration < 1) {
      throw new IllegalArgumentException("iteration must be at least 1, was " + iteration);
    }
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
  }
}
