package dev.forge.spec.loop;

import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.UsageFormat;
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
 * @param noProgressIterations the loop stops NO_PROGRESS after this many iterations in a row left
 *     the work tree unchanged; 0 turns the rule off (and is what histories recorded before it hold)
 * @param repeatedFailureLimit the loop stops NO_PROGRESS when the same checks failed the same way
 *     this many times in a row; 0 turns the rule off
 * @param unreportedCostUsd what to charge for an iteration whose agent reported no usable cost; {@code
 *     null} stops the loop instead (an unreported iteration never counts as free)
 * @param costCapWaitSeconds how long a loop that reached its cost cap waits (state PAUSED) for an
 *     approver to raise the cap before it ends COST_CAP_REACHED; 0 ends it at once (and is what
 *     histories recorded before the wait existed hold, so they replay without it)
 * @param model the model provider the agent reaches through Forge's model gateway, or {@code null}
 *     when it reaches none that way (and in histories recorded before the gateway)
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
    List<GateConfig> gates,
    int noProgressIterations,
    int repeatedFailureLimit,
    BigDecimal unreportedCostUsd,
    long costCapWaitSeconds,
    AgentModel model) {

  public LoopConfig {
    agentCommand = List.copyOf(agentCommand);
    checks = checks.stream().map(List::copyOf).toList();
    gates = List.copyOf(gates);
  }

  /** A config whose agent reaches no model through the gateway. */
  public LoopConfig(List<String> agentCommand, UsageFormat usage, String completionPromise,
      List<List<String>> checks, int maxIterations, long maxRuntimeSeconds, BigDecimal costCapUsd,
      SandboxConfig sandbox, List<GateConfig> gates, int noProgressIterations,
      int repeatedFailureLimit, BigDecimal unreportedCostUsd, long costCapWaitSeconds) {
    this(agentCommand, usage, completionPromise, checks, maxIterations, maxRuntimeSeconds,
        costCapUsd, sandbox, gates, noProgressIterations, repeatedFailureLimit, unreportedCostUsd,
        costCapWaitSeconds, null);
  }

  /** A config whose loop ends as soon as it reaches its cost cap. */
  public LoopConfig(List<String> agentCommand, UsageFormat usage, String completionPromise,
      List<List<String>> checks, int maxIterations, long maxRuntimeSeconds, BigDecimal costCapUsd,
      SandboxConfig sandbox, List<GateConfig> gates, int noProgressIterations,
      int repeatedFailureLimit, BigDecimal unreportedCostUsd) {
    this(agentCommand, usage, completionPromise, checks, maxIterations, maxRuntimeSeconds,
        costCapUsd, sandbox, gates, noProgressIterations, repeatedFailureLimit, unreportedCostUsd,
        0);
  }

  /** A config that stops the loop when an iteration's cost goes unreported. */
  public LoopConfig(List<String> agentCommand, UsageFormat usage, String completionPromise,
      List<List<String>> checks, int maxIterations, long maxRuntimeSeconds, BigDecimal costCapUsd,
      SandboxConfig sandbox, List<GateConfig> gates, int noProgressIterations,
      int repeatedFailureLimit) {
    this(agentCommand, usage, completionPromise, checks, maxIterations, maxRuntimeSeconds,
        costCapUsd, sandbox, gates, noProgressIterations, repeatedFailureLimit, null);
  }

  /** This config with both no-progress rules off. */
  public LoopConfig withoutProgressRules() {
    return new LoopConfig(agentCommand, usage, completionPromise, checks, maxIterations,
        maxRuntimeSeconds, costCapUsd, sandbox, gates, 0, 0, unreportedCostUsd, costCapWaitSeconds,
        model);
  }

  /** A config without the no-progress rules. */
  public LoopConfig(List<String> agentCommand, UsageFormat usage, String completionPromise,
      List<List<String>> checks, int maxIterations, long maxRuntimeSeconds, BigDecimal costCapUsd,
      SandboxConfig sandbox, List<GateConfig> gates) {
    this(agentCommand, usage, completionPromise, checks, maxIterations, maxRuntimeSeconds,
        costCapUsd, sandbox, gates, 0, 0, null);
  }
}
