package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.spec.Refusal;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of {@code loop.agent.unreported_cost}. */
class UnreportedCostRulesTest {

  private static final String FIELD = "loop.agent.unreported_cost";

  @Test
  void shouldStopByDefault() {
    assertThat(parse(minimal()).config().unreportedCostUsd()).isNull();
    assertThat(parse(minimalWith(FIELD, "stop")).config().unreportedCostUsd()).isNull();
  }

  @Test
  void shouldChargeAStatedEstimate() {
    assertThat(parse(minimalWith(FIELD, "0.50")).config().unreportedCostUsd())
        .isEqualByComparingTo(new BigDecimal("0.50"));
    assertThat(parse(minimalWith(FIELD, 2)).config().unreportedCostUsd())
        .isEqualByComparingTo(BigDecimal.valueOf(2));
  }

  @ParameterizedTest
  @CsvSource({
    "free,format",
    "0,range",
    "-1,range",
    "0.0000001,format"
  })
  void shouldRefuseAnythingElse(String value, String rule) {
    Refusal error = errorFor(FIELD, value, rule);

    assertThat(error.detail()).contains(value);
  }
}
