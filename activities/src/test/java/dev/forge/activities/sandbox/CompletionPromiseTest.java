package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.spec.sandbox.UsageFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Completion-promise detection over streamed output, as the sandbox activity sees it. */
class CompletionPromiseTest {

  private static final String PROMISE = "LOOP_COMPLETE";

  private static StepOutput output(UsageFormat format) {
    return new StepOutput(4096, format, PROMISE, Redactor.none());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldSeeAPromiseSplitAcrossChunks() {
    StepOutput output = output(UsageFormat.FORGE_USAGE);

    output.stdout(utf8("working\nLOOP_"));
    output.stdout(utf8("COMP"));
    output.stdout(utf8("LETE\n"));
    output.finish();

    assertThat(output.promiseSeen()).isTrue();
  }

  @Test
  void shouldSeeAPromiseWithSurroundingBlanksAndCrLf() {
    StepOutput output = output(UsageFormat.AIDER);

    output.stdout(utf8("\t LOOP_COMPLETE  \r\n"));

    assertThat(output.promiseSeen()).isTrue();
  }

  @Test
  void shouldSeeAPromiseOnTheLastLineWithoutALineBreak() {
    StepOutput output = output(null);

    output.stdout(utf8("done\nLOOP_COMPLETE"));
    boolean beforeEnd = output.promiseSeen();
    output.finish();

    assertThat(beforeEnd).isFalse();
    assertThat(output.promiseSeen()).isTrue();
  }

  @Test
  void shouldNotCountThePromiseInsideALongerLine() {
    StepOutput output = output(UsageFormat.FORGE_USAGE);

    output.stdout(utf8("I will print LOOP_COMPLETE when done\nLOOP_COMPLETE.\n\"LOOP_COMPLETE\"\n"));
    output.finish();

    assertThat(output.promiseSeen()).isFalse();
  }

  @Test
  void shouldNotCountThePromiseOnStderr() {
    StepOutput output = output(UsageFormat.FORGE_USAGE);

    output.stderr(utf8("LOOP_COMPLETE\n"));
    output.finish();

    assertThat(output.promiseSeen()).isFalse();
  }

  @Test
  void shouldNotCountThePromiseInALineCutAtTheLimit() {
    StepOutput output = new StepOutput(4096, null, PROMISE, Redactor.none(), 8);

    output.stdout(utf8("LOOP_COMPLETE\n"));
    output.finish();

    assertThat(output.promiseSeen()).isFalse();
  }

  @Test
  void shouldSeeThePromiseInClaudesResultText() {
    StepOutput output = output(UsageFormat.CLAUDE_JSON);

    output.stdout(
        utf8(
            "{\"type\":\"result\",\"subtype\":\"success\",\"result\":\"All tests pass.\\n"
                + "LOOP_COMPLETE\",\"total_cost_usd\":0.01}\n"));
    output.finish();

    assertThat(output.promiseSeen()).isTrue();
  }

  @Test
  void shouldIgnoreAPlainPromiseLineForClaude() {
    StepOutput output = output(UsageFormat.CLAUDE_JSON);

    output.stdout(utf8("LOOP_COMPLETE\n{\"type\":\"result\",\"result\":\"not yet\",\"total_cost_usd\":0}\n"));
    output.finish();

    assertThat(output.promiseSeen()).isFalse();
  }

  @Test
  void shouldSeeThePromiseInCodexsLastAgentMessage() {
    StepOutput output = output(UsageFormat.CODEX_JSONL);

    output.stdout(utf8("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\","
        + "\"type\":\"agent_message\",\"text\":\"All tests pass.\\nLOOP_COMPLETE\"}}\n"
        + "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}\n"));
    output.finish();

    assertThat(output.promiseSeen()).isTrue();
  }

  @Test
  void shouldIgnoreAPromiseOutsideCodexsLastAgentMessage() {
    StepOutput output = output(UsageFormat.CODEX_JSONL);

    output.stdout(utf8("LOOP_COMPLETE\n"
        + "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"agent_message\","
        + "\"text\":\"I will print LOOP_COMPLETE when done\"}}\n"
        + "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\","
        + "\"command\":\"echo LOOP_COMPLETE\",\"aggregated_output\":\"LOOP_COMPLETE\\n\"}}\n"
        + "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"agent_message\","
        + "\"text\":\"Two tests still fail.\"}}\n"));
    output.finish();

    assertThat(output.promiseSeen()).isFalse();
  }

  @Test
  void shouldReportNoPromiseForAStepWithoutOne() {
    StepOutput output = new StepOutput(4096, null, null, Redactor.none());

    output.stdout(utf8("LOOP_COMPLETE\n"));
    output.finish();

    assertThat(output.promiseSeen()).isFalse();
  }
}
