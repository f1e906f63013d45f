package dev.forge.workflows.sandbox;

import java.math.BigDecimal;

/**
 * What one agent run reported it used.
 *
 * @param inputTokens tokens sent (not counting cache reads)
 * @param cachedInputTokens tokens read from the prompt cache
 * @param cacheWriteTokens tokens written to the prompt cache
 * @param outputTokens tokens received
 * @param costUsd cost in US dollars
 * @param costSource {@code reported} (the agent said so), {@code priced} (Forge priced reported
 *     tokens), {@code missing} (no report found), {@code malformed} (a report that could not be
 *     read), {@code unpriced} (a model Forge has no price for) or {@code estimated} (the config's
 *     estimate was charged for an unreported iteration)
 * @param model the model named in the report, if any
 * @param priceTable the version of Forge's price table the cost was computed with, or {@code null}
 *     when the agent reported its cost itself (and in histories recorded before price tables)
 * @param turns how many turns the agent said it took, when it says ({@code claude-json}'s {@code
 *     num_turns}); {@code null} otherwise
 * @param agentStop how the agent said its run ended, when it says ({@code claude-json}'s {@code
 *     subtype}: {@code success}, {@code error_max_turns}, {@code error_max_budget_usd}, {@code
 *     error_during_execution}); {@code null} otherwise and in histories recorded before it existed
 */
public record Usage(
    long inputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long outputTokens,
    BigDecimal costUsd,
    String costSource,
    String model,
    String priceTable,
    Integer turns,
    String agentStop) {

  public static final String REPORTED = "reported";
  public static final String MISSING = "missing";
  public static final String MALFORMED = "malformed";
  /** Tokens were reported, but the model is not in Forge's price table. */
  public static final String UNPRICED = "unpriced";
  /** Priced by Forge from reported tokens and its price table. */
  public static final String PRICED = "priced";
  /** No usable report: the loop charged the estimate its config states instead. */
  public static final String ESTIMATED = "estimated";

  /** Claude Code's subtype for a run it ended because the budget it was given ran out. */
  public static final String STOPPED_AT_BUDGET = "error_max_budget_usd";

  /** Whether this record says nothing trustworthy about what the iteration cost. */
  public boolean unreported() {
    return MISSING.equals(costSource) || MALFORMED.equals(costSource)
        || UNPRICED.equals(costSource);
  }

  /** Whether the agent said it stopped because the budget Forge passed it ran out. */
  public boolean stoppedAtBudget() {
    return STOPPED_AT_BUDGET.equals(agentStop);
  }

  /** A usage record that says nothing of turns or of how the agent's run ended. */
  public Usage(long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens,
      BigDecimal costUsd, String costSource, String model, String priceTable) {
    this(inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, costUsd, costSource, model,
        priceTable, null, null);
  }

  /** A usage record without a price table: the agent reported its cost itself. */
  public Usage(long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens,
      BigDecimal costUsd, String costSource, String model) {
    this(inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, costUsd, costSource, model,
        null);
  }

  public static Usage none(String source) {
    return new Usage(0, 0, 0, 0, BigDecimal.ZERO, source, null);
  }
}
