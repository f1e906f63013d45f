package dev.forge.workflows.loop;

import dev.forge.workflows.sandbox.SandboxConfig;
import dev.forge.workflows.sandbox.UsageFormat;
import java.math.BigDecimal;
import java.util.List;

/**
 * A validated forge.yml, as the loop workflow needs it. Holds no secret: credentials appear only as
 * the <em>names</em> of host environment variables (see {@link SandboxConfig#env()}).
 *
 * @param agentCommand the agent's argument list; {@code {prompt}}, {@code {iteration}} and {@code
 *     {loop_id}} are substituted per iteration
 * @param usage how the agent reports tokens and cost
 * @param completionPromise the text whose appearance in the agent's output claims the goal is met
 * @param checks commands that must all exit 0 for a claimed completion to count
 * @param maxIterations the loop stops after this many iterations
 * @param maxRuntimeSeconds the loop starts no new iteration after this much time
 * @param costCapUsd the loop starts no new iteration once this much has been spent
 * @param sandbox the container every agent, check and gate command runs in
 * @param gates human gates passed, in order, after the goal is met
 */
public record LoopConfig(
    List<String> agentCommand,
    UsageFormat usage,
    String completionPromise,
    List<List<String>> checks,
    int maxIterations,
    long maxRuntimeSeconds,
    BigDecimal costCapUsd,
    SandboxConfig sandbox,
    List<GateConfig> gates) {

  public LoopConfig {
    agentCommand = List.copyOf(agentCommand);
    checks = checks.stream().map(List::copyOf).toList();
    gates = List.copyOf(gates);
  }
}
