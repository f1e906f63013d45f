package dev.forge.workflows.sandbox;

import dev.forge.spec.loop.AgentModel;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigDecimal;
import java.util.List;

/**
 * One command to run in a fresh sandbox container against a loop's work tree.
 *
 * @param loopId the loop
 * @param iteration the iteration the step belongs to (0 for gate steps)
 * @param step a name unique within the loop and iteration: {@code agent}, {@code check-1}, {@code
 *     gate-production_deploy-1}; with the loop and iteration it labels the container and keys retries
 * @param workspace the host path of the loop's work tree, mounted at {@code /workspace}
 * @param command the argument list (no shell is involved unless the command itself is one)
 * @param sandbox image, limits, network and environment names
 * @param usage how to read usage from the output, or {@code null} for steps that are not the agent
 * @param completionPromise the promise to look for, or {@code null}
 * @param model the provider the agent reaches through Forge's model gateway, or {@code null} (every
 *     step that is not the agent, loops without one, and histories recorded before the gateway)
 * @param budgetUsd what is left of the loop's cost cap when the step starts: the most the gateway
 *     lets its model calls spend; {@code null} when {@code model} is
 */
public record SandboxStep(
    String loopId,
    int iteration,
    String step,
    String workspace,
    List<String> command,
    SandboxConfig sandbox,
    UsageFormat usage,
    String completionPromise,
    AgentModel model,
    BigDecimal budgetUsd) {

  public SandboxStep {
    command = List.copyOf(command);
  }

  /** A step whose sandbox reaches no model through the gateway. */
  public SandboxStep(String loopId, int iteration, String step, String workspace,
      List<String> command, SandboxConfig sandbox, UsageFormat usage, String completionPromise) {
    this(loopId, iteration, step, workspace, command, sandbox, usage, completionPromise, null,
        null);
  }
}
