package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reaper's decisions, with Docker's answers scripted; SandboxReaperIT runs it for real. */
class SandboxReaperTest {

  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private DockerClient docker;
  private SandboxReaper reaper;

  @BeforeEach
  void setUp() {
    docker = mock(DockerClient.class, RETURNS_DEEP_STUBS);
    reaper = new SandboxReaper(docker, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(2));
  }

  private void containers(Container... containers) {
    when(docker.listContainersCmd().withShowAll(true).withLabelFilter(anyMap()).exec())
        .thenReturn(List.of(containers));
  }

  private static Container container(String id, String loopId) {
    Container c = mock(Container.class);
    when(c.getId()).thenReturn(id);
    when(c.getLabels()).thenReturn(loopId == null ? Map.of() : Map.of(SandboxLabels.LOOP_ID, loopId));
    return c;
  }

  private void state(String id, boolean running, String finishedAt, String created) {
    InspectContainerResponse inspected = mock(InspectContainerResponse.class, RETURNS_DEEP_STUBS);
    when(inspected.getState().getRunning()).thenReturn(running);
    when(inspected.getState().getFinishedAt()).thenReturn(finishedAt);
    when(inspected.getCreated()).thenReturn(created);
    when(docker.inspectContainerCmd(id).exec()).thenReturn(inspected);
  }

  @Test
  void shouldRemoveContainersOfInactiveOrUnknownLoopsAndLongStoppedOnes() {
    containers(
        container("gone", "old-loop"),
        container("unlabelled", null),
        container("running", "live"),
        container("just-exited", "live"),
        container("exited-long-ago", "live"),
        container("never-started-long-ago", "live"));
    state("running", true, "0001-01-01T00:00:00Z", "2026-01-10T11:00:00Z");
    state("just-exited", false, "2026-01-10T11:59:30Z", "2026-01-10T11:00:00Z");
    state("exited-long-ago", false, "2026-01-10T11:50:00Z", "2026-01-10T11:00:00Z");
    state("never-started-long-ago", false, "0001-01-01T00:00:00Z", "2026-01-10T11:00:00Z");

    List<String> removed = reaper.removeOrphans(Set.of("live")::contains);

    assertThat(removed)
        .containsExactlyInAnyOrder("gone", "unlabelled", "exited-long-ago", "never-started-long-ago");
    verify(docker, never()).removeContainerCmd("running");
    verify(docker, never()).removeContainerCmd("just-exited");
  }
}
