package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.MINIMAL_YAML;
import static dev.forge.spec.config.ConfigFixtures.parseYaml;
import static dev.forge.spec.config.ConfigFixtures.yamlErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.forge.spec.Refusal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading YAML text safely: syntax, duplicates, size, aliases, nesting, tags. */
class YamlSafetyTest {

  @Test
  void shouldReportASyntaxErrorWithItsLine() {
    String yaml = "version: 1\nloop:\n  agent: [unclosed\nsandbox:\n  image: x\n";

    List<Refusal> errors = yamlErrors(yaml);

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("forge.yml");
      assertThat(error.rule()).isEqualTo("syntax");
      assertThat(error.detail()).startsWith("is not valid YAML at line ").contains(", column ");
    });
  }

  @Test
  void shouldPointAtTheLineOfABadIndent() {
    String yaml = "version: 1\nloop:\n  mode: afk\n mode: hitl\n";

    assertThat(yamlErrors(yaml).get(0).detail()).contains("line 4");
  }

  @Test
  void shouldRefuseDuplicateKeys() {
    String yaml = MINIMAL_YAML + "version: 1\n";

    Refusal error = yamlErrors(yaml).get(0);

    assertThat(error.rule()).isEqualTo("syntax");
    assertThat(error.detail()).contains("duplicate key").contains("line 8");
  }

  @Test
  void shouldNotQuoteTheDocumentInSyntaxErrors() {
    String secret = "sk-ant-api03-Zq8vR2xT7mK4pL9wN3bY6cF1dH5jG0sA";
    String yaml = "version: 1\nloop:\n  agent: {command: [\"" + secret + "\"\n";

    assertThat(yamlErrors(yaml).get(0).detail()).doesNotContain(secret);
  }

  @Test
  void shouldRefuseDocumentsOver64KiB() {
    String yaml = MINIMAL_YAML + "#" + "x".repeat(64 * 1024) + "\n";

    Refusal error = yamlErrors(yaml).get(0);

    assertThat(error.rule()).isEqualTo("range");
    assertThat(error.detail()).contains("65536 bytes");
  }

  @Test
  void shouldCountBytesNotCharacters() {
    String yaml = MINIMAL_YAML + "#" + "\u00e9".repeat(33 * 1024) + "\n";

    assertThat(yamlErrors(yaml).get(0).rule()).isEqualTo("range");
  }

  @Test
  void shouldRefuseABillionLaughsQuickly() {
    StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char previous = 'a';
    for (char name = 'b'; name <= 'j'; name++) {
      yaml.append(name).append(": &").append(name).append(" [");
      for (int i = 0; i < 9; i++) {
        yaml.append(i == 0 ? "" : ",").append('*').append(previous);
      }
      yaml.append("]\n");
      previous = name;
    }

    List<Refusal> errors = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> yamlErrors(yaml.toString()));

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.rule()).isEqualTo("range");
      assertThat(error.detail()).contains("aliases");
    });
  }

  @Test
  void shouldWalkSharedAndRecursiveStructuresOnce() {
    String yaml = MINIMAL_YAML
        + "extra: &loop [a, *loop, *loop, *loop, *loop, *loop, *loop, *loop, *loop, *loop]\n";

    List<Refusal> errors = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> yamlErrors(yaml));

    assertThat(errors).extracting(Refusal::field).containsExactly("extra");
  }

  @Test
  void shouldRefuseDeepNesting() {
    String yaml = MINIMAL_YAML + "extra: " + "[".repeat(40) + "]".repeat(40) + "\n";

    Refusal error = yamlErrors(yaml).get(0);

    assertThat(error.rule()).isEqualTo("range");
    assertThat(error.detail()).contains("nested");
  }

  @Test
  void shouldRefuseCustomTypes() {
    String yaml = MINIMAL_YAML + "extra: !!javax.script.ScriptEngineManager [x]\n";

    assertThat(yamlErrors(yaml).get(0).rule()).isEqualTo("syntax");
  }

  @Test
  void shouldRefuseAnEmptyDocument() {
    assertThat(yamlErrors("").get(0).rule()).isEqualTo("required");
    assertThat(yamlErrors("# only a comment\n").get(0).rule()).isEqualTo("required");
    assertThat(yamlErrors(null).get(0).rule()).isEqualTo("required");
  }

  @Test
  void shouldRefuseMoreThanOneDocument() {
    assertThat(yamlErrors(MINIMAL_YAML + "---\n" + MINIMAL_YAML).get(0).rule()).isEqualTo("syntax");
  }

  @Test
  void shouldRefuseAScalarDocument() {
    assertThat(yamlErrors("just text").get(0).rule()).isEqualTo("type");
  }

  @Test
  void shouldRefuseYamlBooleansAndDatesWhereStringsBelong() {
    String yaml = MINIMAL_YAML.replace("[agent, \"{prompt}\"]", "[agent, yes, 2024-01-01]");

    assertThat(yamlErrors(yaml)).extracting(Refusal::field, Refusal::rule).containsExactly(
        tuple("loop.agent.command[1]", "type"),
        tuple("loop.agent.command[2]", "type"));
  }

  @Test
  void shouldReportUnquotedOnAsANonStringKey() {
    String yaml = MINIMAL_YAML + "on: push\n";

    Refusal error = yamlErrors(yaml).get(0);

    assertThat(error.field()).isEqualTo("true");
    assertThat(error.rule()).isEqualTo("type");
  }

  @Test
  void shouldAcceptFlowStyleAndComments() {
    String yaml = """
        # a comment
        version: 1
        loop: {agent: {command: [agent]}, cost_cap_usd: "0.50"}   # inline
        sandbox: {image: "forge/sandbox@sha256:%s"}
        """.formatted("ab".repeat(32));

    assertThat(parseYaml(yaml).config().costCapUsd()).isEqualByComparingTo("0.5");
  }
}
