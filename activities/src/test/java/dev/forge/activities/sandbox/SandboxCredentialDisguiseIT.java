package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.IMAGE;
import static dev.forge.activities.sandbox.SandboxFixtures.limits;
import static dev.forge.activities.sandbox.SandboxFixtures.loopId;
import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static dev.forge.activities.sandbox.SandboxFixtures.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step that prints its credential in every disguise of issue 12 (spaced, split across lines,
 * reversed, base64 at each alignment, hex, percent-encoded) in a real container: neither the
 * result nor the audit entry holds any of them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SandboxCredentialDisguiseIT {

  /** Each line prints {@code $API_KEY} in one disguise, with the image's own tools. */
  private static final String PRINT_IN_DISGUISES = String.join("\n",
      "k=\"$API_KEY\"",
      "printf '%s\\n' \"$k\" | sed 's/./& /g'",
      "printf '%s\\n' \"$k\" | fold -w 7",
      "printf '%s\\n' \"$k\" | rev",
      "printf '%s\\n' \"$k\" | rev | sed 's/./&  /g'",
      "printf '%s' \"$k\" | base64 -w 0; echo",
      "printf 'x%s' \"$k\" | base64 -w 0 | tr '+/' '-_' | tr -d '='; echo",
      "printf 'xy%s' \"$k\" | base64 -w 20",
      "printf '%s' \"$k\" | od -An -v -tx1 | tr -d ' \\n'; echo",
      "printf '%s' \"$k\" | od -An -v -tx1 | tr a-f A-F",
      "printf '%s' \"$k\" | od -An -v -tx1 | tr -s ' \\n' ' ' | sed 's/ /%/g'; echo",
      "echo done");

  private static DockerClient docker;
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final Path workspace = workspace();

  @BeforeAll
  static void connect() {
    docker = DockerClients.connect(null);
    assertThat(docker.inspectImageCmd(IMAGE).exec().getId()).isNotBlank();
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @AfterEach
  void deleteWorkspace() {
    SandboxFixtures.delete(workspace);
  }

  @Test
  void shouldKeepACredentialPrintedInEveryDisguiseOutOfTheResultAndTheAudit() {
    // given a 48-character credential, like the webhook secret of issue 12
    String secret = "sk-forge-it-" + UUID.randomUUID();
    SandboxStep step = step(loopId("disguise"), workspace,
        List.of("bash", "-c", PRINT_IN_DISGUISES), limits(),
        Map.of("API_KEY", "FORGE_IT_HOST_KEY"), null, null);

    // when the step prints it in every disguise
    SandboxResult result =
        new DockerSandboxActivities(docker, DockerSandboxIT.settings(), audit,
            Map.of("FORGE_IT_HOST_KEY", secret)::get, TestStepPolicy.NONE).run(step);

    // then the step ran, each disguise was masked, and no trace of the value is left
    StoredAuditEntry entry = audit.all().get(0);
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail()).endsWith("done\n");
    assertThat(result.outputTail().split("\\[REDACTED]", -1)).hasSizeGreaterThanOrEqualTo(11);
    for (String kept : List.of(result.toString(), entry.toString())) {
      String lettersAndDigits = kept.replaceAll("[^A-Za-z0-9]", "");
      assertThat(traces(secret)).noneMatch(lettersAndDigits::contains);
    }
  }

  /**
   * Stretches of 16 letters and digits taken from the middle of each encoding, worked out here
   * independently of the redactor.
   */
  private static List<String> traces(String secret) {
    List<String> encodings = new ArrayList<>();
    String reversed = new StringBuilder(secret).reverse().toString();
    encodings.add(secret);
    encodings.add(reversed);
    for (String prefix : List.of("", "x", "xy")) {
      encodings.add(Base64.getEncoder().encodeToString(
          (prefix + secret).getBytes(StandardCharsets.UTF_8)));
    }
    String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
    encodings.add(hex);
    encodings.add(hex.toUpperCase(Locale.ROOT));
    List<String> traces = new ArrayList<>();
    for (String encoding : encodings) {
      String letters = encoding.replaceAll("[^A-Za-z0-9]", "");
      traces.add(letters.substring(8, 24));
    }
    return traces;
  }
}
