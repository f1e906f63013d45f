package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static dev.forge.spec.config.ConfigFixtures.parseYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.loop.LoopConfig;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@code loop.no_progress}. */
class NoProgressRulesTest {

  @Test
  void shouldDefaultBothRulesToThree() {
    LoopConfig config = parse(minimal()).config();

    assertThat(config.noProgressIterations()).isEqualTo(3);
    assertThat(config.repeatedFailureLimit()).isEqualTo(3);
  }

  @Test
  void shouldDefaultAKeyLeftOut() {
    LoopConfig onlyIterations = parse(minimalWith("loop.no_progress", map("iterations", 5))).config();
    LoopConfig onlyFailures = parse(minimalWith("loop.no_progress", map("same_failures", 7))).config();
    LoopConfig empty = parse(minimalWith("loop.no_progress", map())).config();

    assertThat(onlyIterations.noProgressIterations()).isEqualTo(5);
    assertThat(onlyIterations.repeatedFailureLimit()).isEqualTo(3);
    assertThat(onlyFailures.noProgressIterations()).isEqualTo(3);
    assertThat(onlyFailures.repeatedFailureLimit()).isEqualTo(7);
    assertThat(empty.noProgressIterations()).isEqualTo(3);
    assertThat(empty.repeatedFailureLimit()).isEqualTo(3);
  }

  @Test
  void shouldReadBothFromYaml() {
    LoopConfig config = parseYaml(ConfigFixtures.MINIMAL_YAML.replace("  cost_cap_usd: 10\n",
        "  cost_cap_usd: 10\n  no_progress:\n    iterations: 0\n    same_failures: 1000\n"))
        .config();

    assertThat(config.noProgressIterations()).isZero();
    assertThat(config.repeatedFailureLimit()).isEqualTo(1000);
  }

  @Test
  void shouldAcceptZeroToTurnARuleOff() {
    LoopConfig config = parse(minimalWith("loop.no_progress",
        map("iterations", 0, "same_failures", 0))).config();

    assertThat(config.noProgressIterations()).isZero();
    assertThat(config.repeatedFailureLimit()).isZero();
  }

  @Test
  void shouldCheckTheRangeOfEachRule() {
    for (String key : List.of("iterations", "same_failures")) {
      String path = "loop.no_progress." + key;
      assertThat(errorFor(path, -1, "range").detail())
          .isEqualTo("must be between 0 and 1000, got -1");
      assertThat(errorFor(path, 1001, "range").detail())
          .isEqualTo("must be between 0 and 1000, got 1001");
      errorFor(path, new BigInteger("99999999999999999999"), "range");
      assertThat(errorFor(path, 2.5, "format").detail()).isEqualTo("must be a whole number, got 2.5");
      errorFor(path, "3", "type");
      errorFor(path, true, "type");
      errorFor(path, list(3), "type");
    }
    assertThat(parse(minimalWith("loop.no_progress.iterations", 4.0)).config()
        .noProgressIterations()).isEqualTo(4);
  }

  @Test
  void shouldRefuseUnknownKeysWithASuggestion() {
    Refusal error = errorFor("loop.no_progress.same_failure", 2, "unknown");

    assertThat(error.detail()).isEqualTo("unknown key 'same_failure'; allowed here: iterations,"
        + " same_failures (did you mean 'same_failures'?)");
  }

  @Test
  void shouldRefuseANoProgressThatIsNotAMapping() {
    assertThat(errorFor("loop.no_progress", 3, "type").detail())
        .startsWith("must be a mapping of iterations, same_failures");
    errorFor("loop.no_progress", list(3), "type");
  }

  @Test
  void shouldReportEveryBadRuleAtOnce() {
    List<Refusal> errors = errors(minimalWith("loop.no_progress",
        map("iterations", -5, "same_failures", "x", "window", 2)));

    assertThat(errors).extracting(Refusal::field, Refusal::rule).containsExactlyInAnyOrder(
        tuple("loop.no_progress.window", "unknown"),
        tuple("loop.no_progress.iterations", "range"),
        tuple("loop.no_progress.same_failures", "type"));
  }
}
