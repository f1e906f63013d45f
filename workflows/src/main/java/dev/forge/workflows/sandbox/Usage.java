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
 * @param costSource {@code reported} (the agent said so), {@code missing} (no report found) or
 *     {@code malformed} (a report that could not be read)
 * @param model the model named in the report, if any
 */
public record Usage(
    long inputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long outputTokens,
    BigDecimal costUsd,
    String costSource,
    String model) {

  public static final String REPORTED = "reported";
  public static final String MISSING = "missing";
  public static final String MALFORMED = "malformed";

  public static Usage none(String source) {
    return new Usage(0, 0, 0, 0, BigDecimal.ZERO, source, null);
  }
}
