package dev.forge.activities.sandbox.usage;

import dev.forge.workflows.sandbox.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Aider's report, {@code Tokens: 12k sent, 1.2k cache write, 3k cache hit, 850 received.
 * Cost: $0.01 message, $0.05 session.} The last such report counts and its cost is the
 * <em>message</em> cost. The cache parts are optional, counts may carry {@code k}/{@code M}
 * suffixes or thousands separators, and the cost part may follow on the next line (Aider breaks
 * the report when it is long).
 */
final class AiderUsageCollector implements UsageCollector {

  private static final String COUNT = "(\\d[\\d,]*(?:\\.\\d+)?[kKmM]?)";
  private static final String COST =
      "Cost: \\$(\\d+(?:\\.\\d+)?) (?:message|request), \\$\\d+(?:\\.\\d+)? session\\.";
  private static final Pattern TOKENS =
      Pattern.compile(
          "^Tokens: "
              + COUNT
              + " sent(?:, "
              + COUNT
              + " cache write)?(?:, "
              + COUNT
              + " cache hit)?, "
              + COUNT
              + " received\\.(?:\\s+"
              + COST
              + ".*)?$");
  private static final Pattern COST_LINE = Pattern.compile("^" + COST + ".*$");

  /** The last report; null before one was seen. */
  private Usage last;
  /** Whether the last report still waits for its cost on the next line. */
  private boolean awaitingCost;

  @Override
  public void line(String line, boolean cut) {
    String trimmed = line.strip();
    if (awaitingCost) {
      awaitingCost = false;
      Matcher cost = COST_LINE.matcher(trimmed);
      if (!cut && cost.matches()) {
        last = withCost(last, cost.group(1));
        return;
      }
    }
    if (!trimmed.startsWith("Tokens:")) {
      return;
    }
    Matcher m = TOKENS.matcher(trimmed);
    if (cut || !m.matches()) {
      last = Usage.none(Usage.MALFORMED);
      return;
    }
    try {
      Usage tokens =
          new Usage(
              count(m.group(1)),
              count(m.group(3)),
              count(m.group(2)),
              count(m.group(4)),
              BigDecimal.ZERO,
              Usage.MISSING,
              null);
      if (m.group(5) != null) {
        last = withCost(tokens, m.group(5));
      } else {
        last = tokens;
        awaitingCost = true;
      }
    } catch (ArithmeticException | NumberFormatException e) {
      last = Usage.none(Usage.MALFORMED);
    }
  }

  private static Usage withCost(Usage tokens, String cost) {
    return new Usage(
        tokens.inputTokens(),
        tokens.cachedInputTokens(),
        tokens.cacheWriteTokens(),
        tokens.outputTokens(),
        new BigDecimal(cost),
        Usage.REPORTED,
        null);
  }

  /** {@code 850}, {@code 1,234}, {@code 1.2k}, {@code 12k}, {@code 1.5M}; absent is 0. */
  static long count(String text) {
    if (text == null) {
      return 0;
    }
    String plain = text.replace(",", "");
    char suffix = Character.toLowerCase(plain.charAt(plain.length() - 1));
    BigDecimal factor = BigDecimal.ONE;
    if (suffix == 'k' || suffix == 'm') {
      factor = BigDecimal.valueOf(suffix == 'k' ? 1_000 : 1_000_000);
      plain = plain.substring(0, plain.length() - 1);
    }
    return new BigDecimal(plain)
        .multiply(factor)
        .setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  @Override
  public Usage usage() {
    return last == null ? Usage.none(Usage.MISSING) : last;
  }
}
