package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExportedHistoryTest {

  private static final Path CORPUS =
      Path.of("../workflows/src/test/resources/histories").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldDropStackTracesAndClassNamesFromFailuresRecordedBefore() throws IOException {
    // given a history whose activity failure carries stack traces and a class name, as recorded
    // before failures were recorded without them
    ObjectNode history = (ObjectNode) JSON.readTree(
        Files.readString(CORPUS.resolve("demo-completed-after-approval.json")));
    ObjectNode failure = JSON.createObjectNode();
    failure.put("message", "the step was refused");
    failure.put("stackTrace",
        "dev.forge.activities.sandbox.StepValidator.prepare(StepValidator.java:67)\n");
    failure.putObject("applicationFailureInfo").put("type", "SandboxConfigError");
    ObjectNode cause = failure.putObject("cause");
    cause.put("stackTrace", "java.base/java.lang.Thread.run(Thread.java:1583)\n");
    cause.putObject("applicationFailureInfo")
        .put("type", "dev.forge.workflows.loop.UpdateRefused$Forbidden");
    ((ObjectNode) history.path("events").get(1)).set("failure", failure);

    // when it is exported
    String exported = ExportedHistory.withoutJavaInternals(JSON.writeValueAsString(history));

    // then no stack trace or package name is left, the rest is, and it still reads as a history
    assertThat(exported).doesNotContain("stackTrace").doesNotContain("dev.forge.")
        .doesNotContain("java.").contains("SandboxConfigError")
        .contains("UpdateRefused.Forbidden").contains("the step was refused");
    assertThat(WorkflowExecutionHistory.fromJson(exported).getEvents())
        .hasSize(history.path("events").size());
  }

  @Test
  void shouldLeaveAHistoryWithoutFailuresAsItWas() throws IOException {
    String recorded = Files.readString(CORPUS.resolve("gate-timed-out.json"));

    String exported = ExportedHistory.withoutJavaInternals(recorded);

    assertThat(JSON.readTree(exported)).isEqualTo(JSON.readTree(recorded));
  }

  @Test
  void shouldCutOnlyTypesThatAreJavaClassNames() {
    assertThat(ExportedHistory.typeName("java.lang.IllegalStateException"))
        .isEqualTo("IllegalStateException");
    assertThat(ExportedHistory.typeName("SandboxDockerError")).isEqualTo("SandboxDockerError");
    assertThat(ExportedHistory.typeName("LoopFailed")).isEqualTo("LoopFailed");
  }
}
