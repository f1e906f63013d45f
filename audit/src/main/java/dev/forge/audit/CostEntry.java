package dev.forge.audit;

import java.math.BigDecimal;

/** One iteration's row in the cost ledger. */
public record CostEntry(
    String loopId,
    int iteration,
    long inputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long outputTokens,
    BigDecimal costUsd,
    String costSource,
    String model,
    BigDecimal totalCostUsd,
    BigDecimal capUsd) {}
