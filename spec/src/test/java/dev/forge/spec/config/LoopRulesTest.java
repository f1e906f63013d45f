package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.minimalWithout;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code loop:}. */
class LoopRulesTest {

  @Test
  void shouldAcceptHitlMode() {
    assertThat(parse(minimalWith("loop.mode", "hitl")).mode()).isEqualTo("hitl");
  }

  @Test
  void shouldRefuseAnUnknownMode() {
    Refusal error = errorFor("loop.mode", "yolo", "format");

    assertThat(error.detail()).isEqualTo("must be afk or hitl, got 'yolo'");
  }

  @Test
  void shouldRequireTheAgentAndItsCommand() {
    onlyError(minimalWithout("loop.agent"), "loop.agent", "required");
    onlyError(minimalWithout("loop.agent.command"), "loop.agent.command", "required");
  }

  @Test
  void shouldRefuseACommandWrittenAsOneString() {
    Refusal error = errorFor("loop.agent.command", "claude -p {prompt}", "type");

    assertThat(error.detail()).contains("no shell");
  }

  @Test
  void shouldRefuseAnEmptyCommand() {
    errorFor("loop.agent.command", list(), "range");
  }

  @Test
  void shouldRefuseACommandWithTooManyArguments() {
    List<Object> arguments = new ArrayList<>(Collections.nCopies(65, "x"));

    assertThat(errorFor("loop.agent.command", arguments, "range").detail()).contains("at most 64");
  }

  @Test
  void shouldCheckEachArgument() {
    List<Refusal> errors = errors(minimalWith("loop.agent.command",
        list("agent", "", "x".repeat(4097), "a\0b", 7, null)));

    assertThat(errors).extracting(Refusal::field, Refusal::rule).containsExactly(
        tuple("loop.agent.command[1]", "range"),
        tuple("loop.agent.command[2]", "range"),
        tuple("loop.agent.command[3]", "format"),
        tuple("loop.agent.command[4]", "type"),
        tuple("loop.agent.command[5]", "type"));
    assertThat(errors.get(3).detail()).contains("quote it");
  }

  @Test
  void shouldReadEveryUsageFormat() {
    assertThat(parse(minimalWith("loop.agent.usage", "claude-json")).config().usage())
        .isEqualTo(UsageFormat.CLAUDE_JSON);
    assertThat(parse(minimalWith("loop.agent.usage", "aider")).config().usage())
        .isEqualTo(UsageFormat.AIDER);
    assertThat(parse(minimalWith("loop.agent.usage", "forge-usage")).config().usage())
        .isEqualTo(UsageFormat.FORGE_USAGE);
    assertThat(parse(minimalWith("loop.agent.usage", "codex-jsonl")).config().usage())
        .isEqualTo(UsageFormat.CODEX_JSONL);
  }

  @Test
  void shouldRefuseAnUnknownUsageFormat() {
    assertThat(errorFor("loop.agent.usage", "json", "format").detail())
        .isEqualTo("must be forge-usage, claude-json, aider or codex-jsonl, got 'json'");
    errorFor("loop.agent.usage", "codex-json", "format");
    errorFor("loop.agent.usage", "CODEX-JSONL", "format");
    errorFor("loop.agent.usage", 1, "type");
  }

  @Test
  void shouldAcceptARelativePromptFile() {
    assertThat(parse(minimalWith("loop.prompt_file", "docs/prompts/task.md")).promptFile())
        .isEqualTo("docs/prompts/task.md");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/passwd", "../secrets.md", "docs/../../x", "docs\\x.md", "a\0b",
      "C:/x.md", "~/.ssh/id_rsa", "", "docs/"})
  void shouldRefuseAPromptFileOutsideTheRepository(String path) {
    errorFor("loop.prompt_file", path, "path");
  }

  @Test
  void shouldRefuseALongPromptFile() {
    errorFor("loop.prompt_file", "a".repeat(256), "range");
  }

  @Test
  void shouldCheckTheCompletionPromise() {
    assertThat(parse(minimalWith("loop.completion_promise", "ALL DONE")).config()
        .completionPromise()).isEqualTo("ALL DONE");
    assertThat(errorFor("loop.completion_promise", "  ", "format").detail()).contains("blank");
    assertThat(errorFor("loop.completion_promise", "DONE\nNOW", "format").detail())
        .contains("single line").contains("'DONE\\nNOW'");
    errorFor("loop.completion_promise", "x".repeat(201), "range");
    errorFor("loop.completion_promise", 42, "type");
  }

  @Test
  void shouldCheckTheChecks() {
    errorFor("loop.checks", "bash tests/run.sh", "type");
    assertThat(errors(minimalWith("loop.checks", list("bash", "tests/run.sh"))))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(tuple("loop.checks[0]", "type"), tuple("loop.checks[1]", "type"));
    List<Object> many = new ArrayList<>(Collections.nCopies(21, list("true")));
    assertThat(errorFor("loop.checks", many, "range").detail()).contains("at most 20");
    onlyError(minimalWith("loop.checks", list(list("bash"), list())), "loop.checks[1]", "range");
  }

  @Test
  void shouldCheckMaxIterations() {
    assertThat(parse(minimalWith("loop.max_iterations", 10_000)).config().maxIterations())
        .isEqualTo(10_000);
    assertThat(errorFor("loop.max_iterations", 0, "range").detail())
        .isEqualTo("must be between 1 and 10000, got 0");
    errorFor("loop.max_iterations", 10_001, "range");
    errorFor("loop.max_iterations", new BigInteger("99999999999999999999"), "range");
    errorFor("loop.max_iterations", 2.5, "format");
    errorFor("loop.max_iterations", "30", "type");
    errorFor("loop.max_iterations", true, "type");
  }

  @Test
  void shouldCheckMaxRuntime() {
    assertThat(parse(minimalWith("loop.max_runtime", "1h30m")).config().maxRuntimeSeconds())
        .isEqualTo(5400);
    assertThat(errorFor("loop.max_runtime", "59s", "range").detail())
        .isEqualTo("must be between 1m and 30d, got '59s'");
    errorFor("loop.max_runtime", "31d", "range");
    errorFor("loop.max_runtime", "four hours", "format");
    assertThat(errorFor("loop.max_runtime", 60, "format").detail()).contains("unit is required");
  }

  @Test
  void shouldRequireTheCostCap() {
    onlyError(minimalWithout("loop.cost_cap_usd"), "loop.cost_cap_usd", "required");
  }

  @Test
  void shouldCheckTheCostCap() {
    assertThat(parse(minimalWith("loop.cost_cap_usd", 0)).config().costCapUsd()).isZero();
    assertThat(errorFor("loop.cost_cap_usd", -1, "range").detail())
        .isEqualTo("must be between 0 and 100000, got -1");
    errorFor("loop.cost_cap_usd", "-0.50", "range");
    errorFor("loop.cost_cap_usd", 100_000.01, "range");
    assertThat(errorFor("loop.cost_cap_usd", "1.0000001", "format").detail())
        .contains("at most 6 decimal places");
    errorFor("loop.cost_cap_usd", "ten dollars", "format");
    errorFor("loop.cost_cap_usd", Double.NaN, "format");
    errorFor("loop.cost_cap_usd", list(10), "type");
  }

  @Test
  void shouldRefuseALoopThatIsNotAMapping() {
    assertThat(errorFor("loop", list("agent"), "type").detail()).contains("got a list");
    onlyError(map("version", 1, "loop", null, "sandbox", map("image", ConfigFixtures.IMAGE)),
        "loop", "required");
  }
}
