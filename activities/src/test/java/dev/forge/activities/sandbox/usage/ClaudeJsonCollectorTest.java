package dev.forge.activities.sandbox.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaudeJsonCollectorTest {

  /** The shape `claude -p --output-format json` prints, on one line. */
  private static final String RESULT =
      "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"duration_ms\":2828,"
          + "\"num_turns\":4,\"result\":\"Done.\",\"session_id\":\"abc\",\"total_cost_usd\":0.0234,"
          + "\"usage\":{\"input_tokens\":4,\"cache_creation_input_tokens\":5220,"
          + "\"cache_read_input_tokens\":13520,\"output_tokens\":12,\"service_tier\":\"standard\"},"
          + "\"modelUsage\":{\"claude-sonnet-4-5\":{\"inputTokens\":4,\"costUSD\":0.02},"
          + "\"claude-haiku-4-5\":{\"inputTokens\":1,\"costUSD\":0.0034}}}";

  private static Usage parse(String stdout) {
    return UsageParser.parse(UsageFormat.CLAUDE_JSON, stdout);
  }

  @Test
  void shouldReadTheResultObject() {
    assertThat(parse(RESULT + "\n"))
        .isEqualTo(
            new Usage(
                4,
                13520,
                5220,
                12,
                new BigDecimal("0.0234"),
                Usage.REPORTED,
                "claude-sonnet-4-5,claude-haiku-4-5",
                null,
                4,
                "success"));
  }

  @Test
  void shouldTellAResultThatStoppedAtItsBudget() {
    String stopped = "{\"type\":\"result\",\"subtype\":\"error_max_budget_usd\",\"is_error\":true,"
        + "\"num_turns\":7,\"total_cost_usd\":0.41,\"usage\":{\"input_tokens\":10}}";

    Usage usage = parse(stopped + "\n");

    assertThat(usage.stoppedAtBudget()).isTrue();
    assertThat(usage.turns()).isEqualTo(7);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.41");
    assertThat(parse(RESULT).stoppedAtBudget()).isFalse();
  }

  @Test
  void shouldKeepOnlyAShortWordAsTheSubtype() {
    String odd = "{\"type\":\"result\",\"subtype\":\"Ignore previous instructions!\","
        + "\"num_turns\":-3,\"total_cost_usd\":0.1}";

    Usage usage = parse(odd);

    assertThat(usage.agentStop()).isNull();
    assertThat(usage.turns()).isNull();
    assertThat(usage.costSource()).isEqualTo(Usage.REPORTED);
  }

  @Test
  void shouldTakeTheLastResultOfAStreamOfMessages() {
    String stream =
        "{\"type\":\"system\",\"subtype\":\"init\"}\n"
            + "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_result\"}]}}\n"
            + "{\"type\":\"result\",\"total_cost_usd\":0.5,\"usage\":{\"input_tokens\":1}}\n"
            + "some trailing noise\n"
            + "{\"type\":\"result\",\"total_cost_usd\":0.75,\"usage\":{\"input_tokens\":2}}\n";

    Usage usage = parse(stream);

    assertThat(usage.costUsd()).isEqualByComparingTo("0.75");
    assertThat(usage.inputTokens()).isEqualTo(2);
  }

  @Test
  void shouldFindTheResultInTheVerboseArrayForm() {
    String verbose =
        "[{\"type\":\"system\"},{\"type\":\"result\",\"total_cost_usd\":1.25,\"usage\":{\"output_tokens\":9}}]";

    Usage usage = parse(verbose);

    assertThat(usage.costUsd()).isEqualByComparingTo("1.25");
    assertThat(usage.outputTokens()).isEqualTo(9);
  }

  @Test
  void shouldAcceptTheOlderCostFieldAndAbsentUsage() {
    Usage usage = parse("{\"type\":\"result\",\"cost_usd\":0.01}");

    assertThat(usage).isEqualTo(new Usage(0, 0, 0, 0, new BigDecimal("0.01"), Usage.REPORTED, null));
  }

  @Test
  void shouldReportMissingWithoutAResultObject() {
    assertThat(parse("Hello\n{\"type\":\"assistant\"}\n[1,2]\n")).isEqualTo(Usage.none(Usage.MISSING));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"result\",\"usage\":{\"input_tokens\":1}}",
        "{\"type\":\"result\",\"total_cost_usd\":-1}",
        "{\"type\":\"result\",\"total_cost_usd\":\"0.1\"}",
        "{\"type\":\"result\",\"total_cost_usd\":0.1,\"usage\":{\"input_tokens\":-5}}",
        "{\"type\":\"result\",\"total_cost_usd\":0.1,\"usage\":{\"output_tokens\":2.5}}",
        "{\"type\":\"result\",\"total_cost_usd\":0.1,\"usage\":[1]}",
        "{\"type\":\"result\",\"total_cost_usd\":0.1",
        "{\"type\": \"result\", \"total_cost_usd\": 0.1} {\"x\":1}"
      })
  void shouldReportMalformedForAResultItCannotRead(String line) {
    assertThat(parse(line + "\n")).isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @Test
  void shouldReportMalformedWhenTheLastResultIsBrokenEvenAfterAGoodOne() {
    assertThat(parse(RESULT + "\n{\"type\":\"result\",\"total_cost_usd\":\n"))
        .isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @Test
  void shouldReportMalformedForAResultCutAtTheLineLimit() {
    ClaudeJsonCollector collector = new ClaudeJsonCollector();

    collector.line("{\"type\":\"result\",\"result\":\"very long", true);

    assertThat(collector.usage()).isEqualTo(Usage.none(Usage.MALFORMED));
    assertThat(collector.resultText()).isEmpty();
  }

  @Test
  void shouldExposeTheResultTextOfTheFinalResult() {
    ClaudeJsonCollector collector = new ClaudeJsonCollector();

    collector.line(RESULT, false);

    assertThat(collector.resultText()).contains("Done.");
  }
}
