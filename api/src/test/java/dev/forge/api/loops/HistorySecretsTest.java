package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The secret check on exported histories, on the real recorded corpus. */
class HistorySecretsTest {

  private static final Path CORPUS =
      Path.of("../workflows/src/test/resources/histories").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void shouldPassEveryRecordedHistory(Path history) throws IOException {
    assertThat(HistorySecrets.find(Files.readString(history))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "use sk-ant-api03-AbCdEf0123456789AbCdEf0123456789 to call the model",
    "clone https://deploy:hunter2hunter2@git.example.org/repo.git",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
  })
  void shouldFindASecretInTheWorkflowsInput(String prompt) throws IOException {
    String history = withPrompt(prompt);

    assertThat(HistorySecrets.find(history))
        .hasValue("event 1 (EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)");
  }

  @Test
  void shouldFindATokenAfterAFlagInAnArgumentList() throws IOException {
    ObjectNode started = firstEventInput("demo-completed-after-approval.json");
    ObjectNode agent = (ObjectNode) started.path("config");
    agent.set("agentCommand", JSON.valueToTree(
        List.of("deploy-tool", "--api-key", "Zq8vN2xLp4Rt7Wm1Ks9Hd3Fg")));

    assertThat(HistorySecrets.find(historyWithInput(started))).isPresent();
  }

  @Test
  void shouldRefuseSomethingThatIsNotAHistory() {
    assertThatThrownBy(() -> HistorySecrets.find("{\"no\": \"events\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no events array");
    assertThatThrownBy(() -> HistorySecrets.find("not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String withPrompt(String prompt) throws IOException {
    ObjectNode input = firstEventInput("demo-completed-after-approval.json");
    input.put("prompt", prompt);
    return historyWithInput(input);
  }

  private static ObjectNode historyOf(String name) throws IOException {
    return (ObjectNode) JSON.readTree(Files.readString(CORPUS.resolve(name)));
  }

  private static ObjectNode payload(ObjectNode history) {
    return (ObjectNode) history.path("events").get(0)
        .path("workflowExecutionStartedEventAttributes").path("input").path("payloads").get(0);
  }

  private static ObjectNode firstEventInput(String name) throws IOException {
    byte[] data = Base64.getDecoder().decode(payload(historyOf(name)).path("data").asText());
    return (ObjectNode) JSON.readTree(new String(data, StandardCharsets.UTF_8));
  }

  private static String historyWithInput(ObjectNode input) throws IOException {
    ObjectNode history = historyOf("demo-completed-after-approval.json");
    payload(history).put("data", Base64.getEncoder()
        .encodeToString(JSON.writeValueAsBytes(input)));
    return JSON.writeValueAsString(history);
  }
}
