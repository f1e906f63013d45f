package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.SandboxUser;
import dev.forge.audit.StoredAuditEntry;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activity's behaviour when Docker is not there; the rest is covered by DockerSandboxIT. */
class DockerSandboxActivitiesTest {

  @TempDir Path workspace;

  @Test
  void shouldFailRetryablyAndAuditTheAttemptWhenTheDaemonIsUnreachable() throws Exception {
    InMemoryAuditLog audit = new InMemoryAuditLog();
    try (DockerClient docker = DockerClients.connect("unix://" + workspace.resolve("no-docker.sock"))) {
      DockerSandboxActivities activities =
          new DockerSandboxActivities(
              docker, SandboxSettings.defaults(new SandboxUser(1000, 1000, true)), audit, Map.<String, String>of()::get,
              TestStepPolicy.NONE);

      assertThatThrownBy(() -> activities.run(step("loop-x", workspace, List.of("true"))))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.isNonRetryable()).isFalse();
                assertThat(f.getType()).isEqualTo(SandboxFailures.DOCKER_UNAVAILABLE);
              });
    }

    StoredAuditEntry entry = audit.all().get(0);
    assertThat(audit.all()).hasSize(1);
    assertThat(entry.requestId()).isEqualTo("sandbox:loop-x:1:agent:1");
    assertThat(entry.action()).isEqualTo("sandbox.command");
    assertThat(entry.actor()).isEqualTo("agent");
    assertThat(entry.target()).isEqualTo("agent");
    assertThat(entry.detail())
        .containsEntry("outcome", "FAILED")
        .containsEntry("errorType", SandboxFailures.DOCKER_UNAVAILABLE);
  }
}
