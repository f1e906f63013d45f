package dev.forge.activities.sandbox.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForgeUsageCollectorTest {

  private static Usage parse(String stdout) {
    return UsageParser.parse(UsageFormat.FORGE_USAGE, stdout);
  }

  @Test
  void shouldReadAFullReport() {
    Usage usage =
        parse(
            "thinking...\nFORGE_USAGE {\"model\":\"m\",\"input_tokens\":1200,\"cached_input_tokens\":300,"
                + "\"cache_write_tokens\":40,\"output_tokens\":500,\"cost_usd\":0.0425}\ndone\n");

    assertThat(usage).isEqualTo(new Usage(1200, 300, 40, 500, new BigDecimal("0.0425"), "reported", "m"));
  }

  @Test
  void shouldTreatAbsentCountsAsZero() {
    Usage usage = parse("FORGE_USAGE {\"cost_usd\":1.5}");

    assertThat(usage).isEqualTo(new Usage(0, 0, 0, 0, new BigDecimal("1.5"), "reported", null));
  }

  @Test
  void shouldAddUpSeveralReportsExactly() {
    Usage usage =
        parse(
            "FORGE_USAGE {\"model\":\"a\",\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":0.1}\n"
                + "  FORGE_USAGE   {\"model\":\"b\",\"input_tokens\":10,\"output_tokens\":20,\"cost_usd\":0.2}\r\n"
                + "FORGE_USAGE {\"model\":\"a\",\"cost_usd\":0}\n");

    assertThat(usage.inputTokens()).isEqualTo(11);
    assertThat(usage.outputTokens()).isEqualTo(22);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.3");
    assertThat(usage.costUsd().toPlainString()).isEqualTo("0.3");
    assertThat(usage.model()).isEqualTo("a,b");
    assertThat(usage.costSource()).isEqualTo(Usage.REPORTED);
  }

  @Test
  void shouldReportMissingWhenNoLineWasPrinted() {
    assertThat(parse("hello\nFORGE_USAGES {\"cost_usd\":1}\nnot FORGE_USAGE {\"cost_usd\":1}\n"))
        .isEqualTo(Usage.none(Usage.MISSING));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FORGE_USAGE",
        "FORGE_USAGE {}",
        "FORGE_USAGE {\"input_tokens\":5}",
        "FORGE_USAGE {\"cost_usd\":\"0.5\"}",
        "FORGE_USAGE {\"cost_usd\":-0.01}",
        "FORGE_USAGE {\"cost_usd\":0.1,\"input_tokens\":-1}",
        "FORGE_USAGE {\"cost_usd\":0.1,\"input_tokens\":1.5}",
        "FORGE_USAGE {\"cost_usd\":0.1,\"output_tokens\":\"many\"}",
        "FORGE_USAGE {\"cost_usd\":0.1,\"output_tokens\":99999999999999999999999}",
        "FORGE_USAGE {\"cost_usd\":0.1,\"model\":7}",
        "FORGE_USAGE {\"cost_usd\":0.1",
        "FORGE_USAGE {\"cost_usd\":0.1} trailing",
        "FORGE_USAGE {\"cost_usd\":0.1,\"cost_usd\":0}",
        "FORGE_USAGE [0.1]",
        "FORGE_USAGE {\"cost_usd\":NaN}"
      })
  void shouldReportMalformedForAReportItCannotRead(String line) {
    assertThat(parse(line + "\n")).isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @Test
  void shouldReportMalformedWhenOneOfSeveralLinesIsBad() {
    Usage usage = parse("FORGE_USAGE {\"cost_usd\":0.1}\nFORGE_USAGE {\"cost_usd\":oops}\n");

    assertThat(usage).isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @Test
  void shouldReportMalformedWhenTheSumOverflows() {
    String line = "FORGE_USAGE {\"cost_usd\":0,\"input_tokens\":" + Long.MAX_VALUE + "}\n";

    assertThat(parse(line + line)).isEqualTo(Usage.none(Usage.MALFORMED));
  }

  @Test
  void shouldReportMalformedForAReportCutAtTheLineLimit() {
    ForgeUsageCollector collector = new ForgeUsageCollector();

    collector.line("FORGE_USAGE {\"cost_usd\":0.1,\"model\":\"aaaa", true);

    assertThat(collector.usage()).isEqualTo(Usage.none(Usage.MALFORMED));
  }
}
