package dev.forge.activities.sandbox.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AiderUsageCollectorTest {

  private static Usage parse(String stdout) {
    return UsageParser.parse(UsageFormat.AIDER, stdout);
  }

  @Test
  void shouldReadAReportWithCacheParts() {
    Usage usage =
        parse(
            "Applied edit to src/App.java\n"
                + "Tokens: 12k sent, 1.2k cache write, 3k cache hit, 850 received. Cost: $0.01 message, $0.05 session.\n");

    assertThat(usage).isEqualTo(new Usage(12_000, 3_000, 1_200, 850, new BigDecimal("0.01"), Usage.REPORTED, null));
  }

  @Test
  void shouldReadAReportWithoutCacheParts() {
    Usage usage = parse("Tokens: 2.4k sent, 312 received. Cost: $0.0093 message, $0.0093 session.");

    assertThat(usage).isEqualTo(new Usage(2_400, 0, 0, 312, new BigDecimal("0.0093"), Usage.REPORTED, null));
  }

  @Test
  void shouldTakeTheMessageCostOfTheLastReport() {
    Usage usage =
        parse(
            "Tokens: 1k sent, 10 received. Cost: $0.02 message, $0.02 session.\n"
                + "Tokens: 2k sent, 20 received. Cost: $0.03 message, $0.05 session.\n");

    assertThat(usage.inputTokens()).isEqualTo(2_000);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.03");
  }

  @Test
  void shouldReadTheCostFromTheNextLineWhenAiderBreaksTheReport() {
    Usage usage =
        parse(
            "Tokens: 15k sent, 2.5k cache write, 9.1k cache hit, 1.1k received.\n"
                + "Cost: $0.04 message, $0.12 session.\n");

    assertThat(usage).isEqualTo(new Usage(15_000, 9_100, 2_500, 1_100, new BigDecimal("0.04"), Usage.REPORTED, null));
  }

  @Test
  void shouldReadOlderReportsWithThousandsSeparatorsAndRequestCost() {
    Usage usage = parse("Tokens: 1,234 sent, 56 received. Cost: $0.0041 request, $0.0100 session.");

    assertThat(usage.inputTokens()).isEqualTo(1_234);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.0041");
  }

  @Test
  void shouldKeepTheTokensButReportTheCostMissingWhenAiderKnowsNoPrice() {
    Usage usage = parse("Tokens: 3k sent, 1.5M received.\nSomething else\n");

    assertThat(usage).isEqualTo(new Usage(3_000, 0, 0, 1_500_000, BigDecimal.ZERO, Usage.MISSING, null));
  }

  @Test
  void shouldReportMissingWithoutAReport() {
    assertThat(parse("Aider v0.80\nModel: sonnet\n")).isEqualTo(Usage.none(Usage.MISSING));
  }

  @Test
  void shouldReportMalformedWhenTheLastReportCannotBeRead() {
    Usage usage =
        parse(
            "Tokens: 1k sent, 10 received. Cost: $0.02 message, $0.02 session.\n"
                + "Tokens: lots sent, 10 received. Cost: $0.03 message, $0.05 session.\n");

    assertThat(usage).isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @ParameterizedTest
  @CsvSource({"850,850", "1.2k,1200", "12k,12000", "1.5M,1500000", "'1,234',1234", "0.4k,400"})
  void shouldReadTokenCounts(String text, long expected) {
    assertThat(AiderUsageCollector.count(text)).isEqualTo(expected);
  }
}
