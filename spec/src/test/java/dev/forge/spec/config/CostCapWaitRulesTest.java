package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.spec.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of {@code loop.cost_cap_wait}. */
class CostCapWaitRulesTest {

  private static final String FIELD = "loop.cost_cap_wait";

  @Test
  void shouldEndAtTheCapByDefault() {
    assertThat(parse(minimal()).config().costCapWaitSeconds()).isZero();
    assertThat(parse(minimalWith(FIELD, "0s")).config().costCapWaitSeconds()).isZero();
  }

  @Test
  void shouldWaitTheGivenTime() {
    assertThat(parse(minimalWith(FIELD, "24h")).config().costCapWaitSeconds()).isEqualTo(86_400);
    assertThat(parse(minimalWith(FIELD, "30d")).config().costCapWaitSeconds())
        .isEqualTo(30 * 86_400);
  }

  @ParameterizedTest
  @CsvSource({
    "31d,range",
    "forever,format",
    "-1h,format"
  })
  void shouldRefuseAnythingElse(String value, String rule) {
    Refusal error = errorFor(FIELD, value, rule);

    assertThat(error.detail()).contains(value);
  }
}
