package dev.forge.workflows.audit;

import dev.forge.workflows.sandbox.Usage;
import java.math.BigDecimal;

/**
 * One iteration's usage for the cost ledger.
 *
 * @param loopId the loop
 * @param iteration the iteration (the ledger keeps one row per loop and iteration)
 * @param usage what the agent reported
 * @param totalCostUsd the loop's total after this iteration
 * @param capUsd the loop's cap
 */
public record UsageRecord(
    String loopId, int iteration, Usage usage, BigDecimal totalCostUsd, BigDecimal capUsd) {}
