package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.activities.sandbox.usage.PriceTable;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.spec.sandbox.UsageFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepAuditTest {

  private final InMemoryAuditLog log = new InMemoryAuditLog();

  private static ActivityContext context(int attempt) {
    return new ActivityContext() {
      @Override
      public String runId() {
        return "run-7";
      }

      @Override
      public int attempt() {
        return attempt;
      }

      @Override
      public void heartbeat(String details) {}
    };
  }

  private static SandboxStep checkStep(List<String> command) {
    SandboxStep base =
        step("loop-1", Path.of("/tmp"), command, SandboxFixtures.limits(), Map.of("API_KEY", "HOST"), UsageFormat.FORGE_USAGE, null);
    return new SandboxStep(
        "loop-1", 2, "check-1", base.workspace(), command, base.sandbox(), base.usage(), null);
  }

  @Test
  void shouldWriteOneEntryPerAttemptWithAStableRequestId() {
    SandboxStep step = checkStep(List.of("mvn", "-q", "test"));
    StepAudit audit = new StepAudit(log, 1024);

    audit.write(step, context(1), new StepAudit.Attempt());
    audit.write(step, context(1), new StepAudit.Attempt());
    audit.write(step, context(2), new StepAudit.Attempt());

    assertThat(log.all()).extracting(StoredAuditEntry::requestId)
        .containsExactly("sandbox:loop-1:2:check-1:1", "sandbox:loop-1:2:check-1:2");
    StoredAuditEntry first = log.all().get(0);
    assertThat(first.actor()).isEqualTo("forge");
    assertThat(first.runId()).isEqualTo("run-7");
    assertThat(first.iteration()).isEqualTo(2);
    assertThat(first.detail())
        .containsEntry("image", SandboxFixtures.IMAGE)
        .containsEntry("argv", List.of("mvn", "-q", "test"))
        .containsEntry("envNames", List.of("API_KEY"));
  }

  @Test
  void shouldShortenLongArgumentsAndBoundTheOutput() {
    String prompt = "p".repeat(5000);
    SandboxStep step = checkStep(List.of("claude", "-p", prompt));
    StepAudit.Attempt attempt = new StepAudit.Attempt();
    StepOutput output = new StepOutput(1 << 20, UsageFormat.FORGE_USAGE, null, Redactor.none());
    output.stdout(("start\n" + "y\n".repeat(100_000) + "FORGE_USAGE {\"cost_usd\":0.25}\nend\n")
        .getBytes(StandardCharsets.UTF_8));
    output.finish();
    attempt.created("container-1", output);
    attempt.ended(new ContainerRunner.Ending(SandboxOutcome.EXITED, 0, 1234));

    new StepAudit(log, 1024).write(step, context(1), attempt);

    Map<String, Object> detail = log.all().get(0).detail();
    @SuppressWarnings("unchecked")
    List<String> argv = (List<String>) detail.get("argv");
    assertThat(argv.get(2)).hasSize(200 + "...[5000 chars]".length()).endsWith("...[5000 chars]");
    assertThat((String) detail.get("outputHead")).startsWith("start\ny\n").hasSize(512);
    assertThat((String) detail.get("outputTail"))
        // 200,040 bytes printed; 512 in the head, 480 in the tail after a 32-byte marker.
        .startsWith("\n[... 199048 bytes omitted ...]\n")
        .endsWith("end\n")
        .hasSize(512);
    assertThat(detail)
        .containsEntry("outputTruncated", true)
        .containsEntry("outcome", "EXITED")
        .containsEntry("exitCode", 0)
        .containsEntry("durationMs", 1234L)
        .containsEntry("containerId", "container-1")
        .containsEntry("costUsd", "0.25")
        .containsEntry("costSource", "reported")
        .containsEntry("usageFormat", "FORGE_USAGE");
  }

  @Test
  void shouldRecordThePriceTableAndSkippedLinesOfAPricedReport() {
    SandboxStep base = checkStep(List.of("codex", "exec", "--json", "-m", "o3", "{prompt}"));
    SandboxStep step = new SandboxStep("loop-1", 2, "agent", base.workspace(), base.command(),
        base.sandbox(), UsageFormat.CODEX_JSONL, null);
    StepAudit.Attempt attempt = new StepAudit.Attempt();
    StepOutput output = new StepOutput(1 << 20, UsageFormat.CODEX_JSONL, step.command(), null,
        Redactor.none(), LineScanner.DEFAULT_MAX_LINE_BYTES);
    // o3: 1000 x 2.00 + 1000 x 0.50 + 100 x 8.00 = 3300 per million
    output.stdout(("{\"type\":\"thread.started\",\"thread_id\":\"t\"}\n{broken\n"
        + "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":2000,"
        + "\"cached_input_tokens\":1000,\"output_tokens\":100}}\n")
        .getBytes(StandardCharsets.UTF_8));
    output.finish();
    attempt.created("container-1", output);
    attempt.ended(new ContainerRunner.Ending(SandboxOutcome.EXITED, 0, 10));

    new StepAudit(log, 1024).write(step, context(1), attempt);

    assertThat(log.all().get(0).detail())
        .containsEntry("usageFormat", "CODEX_JSONL")
        .containsEntry("inputTokens", 1000L)
        .containsEntry("cachedInputTokens", 1000L)
        .containsEntry("outputTokens", 100L)
        .containsEntry("costUsd", "0.003300")
        .containsEntry("costSource", "priced")
        .containsEntry("model", "o3")
        .containsEntry("priceTable", PriceTable.PINNED_VERSION)
        .containsEntry("usageMalformedLines", 1L);
  }

  @Test
  void shouldLeaveOutThePriceTableOfAReportedCost() {
    SandboxStep step = checkStep(List.of("agent"));
    StepAudit.Attempt attempt = new StepAudit.Attempt();
    StepOutput output = new StepOutput(1 << 20, UsageFormat.FORGE_USAGE, null, Redactor.none());
    output.stdout("FORGE_USAGE {\"cost_usd\":0.25}\n".getBytes(StandardCharsets.UTF_8));
    output.finish();
    attempt.created("container-1", output);
    attempt.ended(new ContainerRunner.Ending(SandboxOutcome.EXITED, 0, 10));

    new StepAudit(log, 1024).write(step, context(1), attempt);

    assertThat(log.all().get(0).detail())
        .containsEntry("costSource", "reported")
        .doesNotContainKeys("priceTable", "usageMalformedLines");
  }
}
