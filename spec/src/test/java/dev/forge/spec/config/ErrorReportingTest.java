package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.spec.Refusal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How errors are worded and bounded. */
class ErrorReportingTest {

  @Test
  void shouldCutLongValuesInMessages() {
    String message = errorFor("loop.mode", "x".repeat(500), "format").detail();

    assertThat(message).contains("'" + "x".repeat(60) + "...'").doesNotContain("x".repeat(61));
  }

  @Test
  void shouldEscapeControlCharactersInMessages() {
    String message = errorFor("loop.mode", "a\tb\u0007c\u202e", "format").detail();

    assertThat(message).contains("'a\\tb\\u0007c\\u202e'");
  }

  @Test
  void shouldCapTheNumberOfErrors() {
    Map<String, Object> unknown = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      unknown.put("key_" + i, i);
    }
    Map<String, Object> tree = minimalWith("loop.agent", map("command", List.of("agent")));
    tree.putAll(unknown);

    List<Refusal> errors = errors(tree);

    assertThat(errors).hasSize(Issues.MAX_ERRORS + 1);
    assertThat(errors.get(Issues.MAX_ERRORS).detail()).contains("50 more errors");
  }

  @Test
  void shouldStopAtDeepNestingInJsonTrees() {
    Object nested = "leaf";
    for (int i = 0; i < 200; i++) {
      nested = List.of(nested);
    }

    List<Refusal> errors = errors(minimalWith("extra", nested));

    assertThat(errors).extracting(Refusal::rule).containsExactlyInAnyOrder("unknown", "range");
    assertThat(errors).filteredOn(error -> error.rule().equals("range")).singleElement()
        .satisfies(error -> assertThat(error.detail()).contains("nested more than 32 levels"));
  }

  @Test
  void shouldQuoteKeysThatAreNotPlainWords() {
    assertThat(errors(minimalWith("loop.max iterations", 5)))
        .extracting(Refusal::field).containsExactly("loop['max iterations']");
  }
}
