package dev.forge.activities.sandbox.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodexJsonlCollectorTest {

  private static final String TABLE = PriceTable.PINNED_VERSION;

  private static final String THREAD_STARTED =
      "{\"type\":\"thread.started\",\"thread_id\":\"0199a213-81c0-7800-8aa1-bbab2a035a53\"}";
  private static final String TURN_STARTED = "{\"type\":\"turn.started\"}";

  /** One turn of `codex exec --json`, as it prints it: reasoning, a command, a patch, an answer. */
  private static final String ONE_TURN = String.join("\n",
      THREAD_STARTED,
      TURN_STARTED,
      "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"reasoning\","
          + "\"text\":\"**Looking at the failing tests**\"}}",
      "{\"type\":\"item.started\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\","
          + "\"command\":\"bash -lc 'bash tests/run.sh'\",\"aggregated_output\":\"\","
          + "\"exit_code\":null,\"status\":\"in_progress\"}}",
      "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\","
          + "\"command\":\"bash -lc 'bash tests/run.sh'\",\"aggregated_output\":\"FAIL word_count\\n\","
          + "\"exit_code\":1,\"status\":\"completed\"}}",
      "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"file_change\","
          + "\"changes\":[{\"path\":\"lib/textstats.sh\",\"kind\":\"update\"}],\"status\":\"completed\"}}",
      "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":\"agent_message\","
          + "\"text\":\"Implemented word_count; tests pass.\"}}",
      "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":24763,\"cached_input_tokens\":24448,"
          + "\"output_tokens\":122}}") + "\n";

  private static final String SECOND_TURN = String.join("\n",
      TURN_STARTED,
      "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_4\",\"type\":\"agent_message\","
          + "\"text\":\"Done.\"}}",
      "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":10000,\"cached_input_tokens\":4000,"
          + "\"output_tokens\":2500}}") + "\n";

  private static Usage parse(String stdout) {
    return UsageParser.parse(UsageFormat.CODEX_JSONL, stdout);
  }

  private static Usage parse(List<String> command, String stdout) {
    return UsageParser.parse(UsageFormat.CODEX_JSONL, command, stdout);
  }

  private static String turn(long input, long cached, long output) {
    return "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":" + input
        + ",\"cached_input_tokens\":" + cached + ",\"output_tokens\":" + output + "}}\n";
  }

  private static CodexJsonlCollector collect(String... lines) {
    CodexJsonlCollector collector = new CodexJsonlCollector(PriceTable.pinned(), null);
    LineScanner scanner = new LineScanner(LineScanner.DEFAULT_MAX_LINE_BYTES, collector);
    scanner.feed(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    scanner.finish();
    return collector;
  }

  @Test
  void shouldPriceATurnWithTheDefaultModelSplittingCachedFromInput() {
    // gpt-5-codex: 315 x 1.25 + 24448 x 0.125 + 122 x 10 = 4669.75 per million = $0.00466975,
    // rounded up to whole micro-dollars.
    assertThat(parse(ONE_TURN)).isEqualTo(new Usage(315, 24448, 0, 122,
        new BigDecimal("0.004670"), CodexJsonlCollector.PRICED, "gpt-5-codex", TABLE));
  }

  @Test
  void shouldAddUpEveryTurnAndRoundOnlyTheSum() {
    // 0.00466975 + (6000 x 1.25 + 4000 x 0.125 + 2500 x 10) / 1e6 = 0.00466975 + 0.033
    Usage usage = parse(ONE_TURN + SECOND_TURN);

    assertThat(usage).isEqualTo(new Usage(6315, 28448, 0, 2622,
        new BigDecimal("0.037670"), CodexJsonlCollector.PRICED, "gpt-5-codex", TABLE));
    assertThat(usage.costUsd().toPlainString()).isEqualTo("0.037670");
  }

  @Test
  void shouldPriceWithTheModelTheCommandPins() {
    // o4-mini: 800000 x 1.10 + 200000 x 0.275 + 100000 x 4.40 = 1375000 per million
    Usage usage = parse(List.of("codex", "exec", "--json", "-m", "o4-mini", "{prompt}"),
        THREAD_STARTED + "\n" + turn(1_000_000, 200_000, 100_000));

    assertThat(usage).isEqualTo(new Usage(800_000, 200_000, 0, 100_000,
        new BigDecimal("1.375000"), CodexJsonlCollector.PRICED, "o4-mini", TABLE));
  }

  @Test
  void shouldPreferAModelAnEventNames() {
    // The config summary older Codex versions print first. gpt-5-mini: 1000 x 0.25 + 1000 x 0.025
    // + 300 x 2 = 875 per million.
    String stdout = "{\"model\":\"gpt-5-mini\",\"provider\":\"openai\",\"approval\":\"never\","
        + "\"sandbox\":\"workspace-write\"}\n" + turn(2000, 1000, 300);

    Usage usage = parse(List.of("codex", "exec", "--model", "o3", "{prompt}"), stdout);

    assertThat(usage).isEqualTo(new Usage(1000, 1000, 0, 300,
        new BigDecimal("0.000875"), CodexJsonlCollector.PRICED, "gpt-5-mini", TABLE));
  }

  @Test
  void shouldMarkAnUnknownModelUnpricedNeverFree() {
    Usage usage = parse(List.of("codex", "exec", "--model=gpt-9-ultra", "--json", "{prompt}"),
        ONE_TURN);

    assertThat(usage).isEqualTo(new Usage(315, 24448, 0, 122,
        new BigDecimal("0.000000"), CodexJsonlCollector.UNPRICED, "gpt-9-ultra", TABLE));
    assertThat(usage.costSource()).isNotEqualTo(CodexJsonlCollector.PRICED);
  }

  @Test
  void shouldKeepThePricedPartWhenOnlySomeTurnsAreUnpriced() {
    String stdout = ONE_TURN + "{\"type\":\"session.configured\",\"model\":\"mystery-1\"}\n"
        + SECOND_TURN;

    Usage usage = parse(stdout);

    assertThat(usage).isEqualTo(new Usage(6315, 28448, 0, 2622,
        new BigDecimal("0.004670"), CodexJsonlCollector.UNPRICED, "gpt-5-codex,mystery-1", TABLE));
  }

  @Test
  void shouldSkipAndCountMalformedEventLines() {
    CodexJsonlCollector collector = collect(
        "Reading prompt from stdin...",
        THREAD_STARTED,
        "{\"type\":\"turn.completed\",\"usage\":",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":-1,\"output_tokens\":3}}",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":5,\"cached_input_tokens\":9}}",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1.5}}",
        "{\"type\":\"turn.completed\"}",
        "{\"type\":\"turn.completed\",\"usage\":[1,2]}",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1},\"usage\":{\"input_tokens\":2}}",
        "{\"model\":42}",
        "[\"not an event\"]",
        "",
        turn(10_000, 4000, 2500).strip(),
        "{\"type\":\"turn.failed\",\"error\":{\"message\":\"stream disconnected\"}}");

    assertThat(collector.malformedLines()).isEqualTo(8);
    assertThat(collector.usage()).isEqualTo(new Usage(6000, 4000, 0, 2500,
        new BigDecimal("0.033000"), CodexJsonlCollector.PRICED, "gpt-5-codex", TABLE));
  }

  @Test
  void shouldNotCountAnEventLineStartingWithTextAsMalformed() {
    CodexJsonlCollector collector = collect("warning: something", "LOOP_COMPLETE", "");

    assertThat(collector.malformedLines()).isZero();
    assertThat(collector.usage()).isEqualTo(Usage.none(Usage.MISSING));
  }

  @Test
  void shouldReportMalformedWhenNoTurnCouldBeRead() {
    assertThat(parse(THREAD_STARTED + "\n{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":\"7\"}}\n"))
        .isEqualTo(Usage.none(Usage.MALFORMED));
    assertThat(parse("{not json}\n")).isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @Test
  void shouldReportMissingWithoutEvents() {
    assertThat(parse("")).isEqualTo(Usage.none(Usage.MISSING));
    assertThat(parse("codex: command not found\n")).isEqualTo(Usage.none(Usage.MISSING));
    assertThat(parse(THREAD_STARTED + "\n" + TURN_STARTED
        + "\n{\"type\":\"turn.failed\",\"error\":{\"message\":\"401 Unauthorized\"}}\n"
        + "{\"type\":\"error\",\"message\":\"401 Unauthorized\"}\n"))
        .isEqualTo(Usage.none(Usage.MISSING));
  }

  @Test
  void shouldCountALineCutAtTheLimitAsMalformedAndReadTheRest() {
    CodexJsonlCollector collector = new CodexJsonlCollector(PriceTable.pinned(), null);
    LineScanner scanner = new LineScanner(256, collector);
    String huge = "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\","
        + "\"aggregated_output\":\"" + "x".repeat(10_000) + "\",\"status\":\"completed\"}}\n";

    scanner.feed((huge + turn(10_000, 4000, 2500)).getBytes(StandardCharsets.UTF_8));
    scanner.finish();

    assertThat(collector.malformedLines()).isEqualTo(1);
    assertThat(collector.usage().costSource()).isEqualTo(CodexJsonlCollector.PRICED);
    assertThat(collector.usage().costUsd()).isEqualTo(new BigDecimal("0.033000"));
  }

  @Test
  void shouldSkipATurnThatOverflowsTheTotals() {
    CodexJsonlCollector collector = collect(turn(Long.MAX_VALUE, 0, 0).strip(),
        turn(1, 0, 0).strip());

    assertThat(collector.malformedLines()).isEqualTo(1);
    assertThat(collector.usage().inputTokens()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldKeepTheLastAgentMessage() {
    assertThat(collect(ONE_TURN.split("\n")).lastAgentMessage())
        .contains("Implemented word_count; tests pass.");
    assertThat(collect((ONE_TURN + SECOND_TURN).split("\n")).lastAgentMessage()).contains("Done.");
    assertThat(collect(THREAD_STARTED).lastAgentMessage()).isEmpty();
  }

  @Test
  void shouldBoundTheModelNamesItReports() {
    StringBuilder stdout = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      stdout.append("{\"model\":\"model-with-a-long-name-").append(i).append("\"}\n")
          .append(turn(1, 0, 1));
    }

    Usage usage = parse(stdout.toString());

    assertThat(usage.model()).hasSizeLessThanOrEqualTo(100).startsWith("model-with-a-long-name-0,");
    assertThat(usage.inputTokens()).isEqualTo(20);
    assertThat(usage.costSource()).isEqualTo(CodexJsonlCollector.UNPRICED);
  }

  @Test
  void shouldReadTheModelACodexCommandPins() {
    assertThat(CodexJsonlCollector.modelFromCommand(
        List.of("codex", "exec", "--json", "-m", "o3", "{prompt}"))).isEqualTo("o3");
    assertThat(CodexJsonlCollector.modelFromCommand(
        List.of("/usr/local/bin/codex", "exec", "--model", "gpt-5", "{prompt}"))).isEqualTo("gpt-5");
    assertThat(CodexJsonlCollector.modelFromCommand(
        List.of("codex", "-m", "o3", "exec", "--model=gpt-5-mini", "{prompt}")))
        .isEqualTo("gpt-5-mini");
    assertThat(CodexJsonlCollector.modelFromCommand(List.of("python", "-m", "wrapper"))).isNull();
    assertThat(CodexJsonlCollector.modelFromCommand(List.of("codex", "exec", "--", "-m", "o3")))
        .isNull();
    assertThat(CodexJsonlCollector.modelFromCommand(List.of("codex", "exec", "-m"))).isNull();
    assertThat(CodexJsonlCollector.modelFromCommand(List.of("codex", "-m", "bad model!"))).isNull();
    assertThat(CodexJsonlCollector.modelFromCommand(List.of())).isNull();
  }

  @Test
  void shouldNeverThrowOnArbitraryBytes() {
    byte[] noise = new byte[64 * 1024];
    new Random(7).nextBytes(noise);
    for (int i = 0; i < noise.length; i += 97) {
      noise[i] = (byte) (i % 2 == 0 ? '\n' : '{');
    }
    CodexJsonlCollector collector = new CodexJsonlCollector(PriceTable.pinned(), null);
    LineScanner scanner = new LineScanner(1024, collector);

    scanner.feed(noise);
    scanner.finish();

    assertThat(collector.usage().costSource()).isIn(Usage.MALFORMED, Usage.MISSING);
    CodexJsonlCollector deep = collect("{\"a\":".repeat(100_000), "[".repeat(100_000));
    assertThat(deep.malformedLines()).isEqualTo(1);
    assertThat(deep.usage()).isEqualTo(Usage.none(Usage.MALFORMED));
  }
}
