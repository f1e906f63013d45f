package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.activities.sandbox.usage.PriceTable;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The usage a step's output reports, after redaction (was part of CodexJsonlCollectorTest). */
class StepOutputUsageTest {

  private static String turn(long input, long cached, long output) {
    return "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":" + input
        + ",\"cached_input_tokens\":" + cached + ",\"output_tokens\":" + output + "}}\n";
  }

  @Test
  void shouldKeepThePriceTableWhenTheModelIsRedacted() {
    StepOutput output = new StepOutput(4096, UsageFormat.CODEX_JSONL,
        List.of("codex", "exec", "-m", "gpt-5", "{prompt}"), null,
        new Redactor(List.of("gpt-5")), LineScanner.DEFAULT_MAX_LINE_BYTES);

    output.stdout(turn(2000, 1000, 300).getBytes(StandardCharsets.UTF_8));
    output.finish();

    Usage usage = output.usage();
    assertThat(usage.model()).isNotEqualTo("gpt-5").doesNotContain("gpt-5");
    assertThat(usage.priceTable()).isEqualTo(PriceTable.PINNED_VERSION);
    assertThat(usage.costSource()).isEqualTo(Usage.PRICED);
  }
}
