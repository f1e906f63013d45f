package dev.forge.workflows.loop;

import dev.forge.workflows.sandbox.SandboxOutcome;
import java.math.BigDecimal;

/**
 * One finished iteration.
 *
 * @param iteration 1-based
 * @param checkpointSha the commit taken before the agent ran
 * @param outcome how the agent's container ended
 * @param exitCode the agent's exit code
 * @param promiseSeen whether the agent claimed completion
 * @param checksPassed whether all checks passed ({@code null} when they did not run)
 * @param costUsd what the iteration cost
 * @param costSource where the cost came from (see {@link dev.forge.workflows.sandbox.Usage})
 */
public record IterationSummary(
    int iteration,
    String checkpointSha,
    SandboxOutcome outcome,
    int exitCode,
    boolean promiseSeen,
    Boolean checksPassed,
    BigDecimal costUsd,
    String costSource) {}
