package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reaper's decisions on networks, with Docker's answers scripted. */
class SandboxReaperNetworksTest {

  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private DockerClient docker;
  private SandboxReaper reaper;

  @BeforeEach
  void setUp() {
    docker = mock(DockerClient.class, RETURNS_DEEP_STUBS);
    reaper = new SandboxReaper(docker, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(2));
    when(docker.listContainersCmd().withShowAll(true).withLabelFilter(anyMap()).exec())
        .thenReturn(List.of());
  }

  private Network network(String id, String loopId, String kind, String created, boolean used) {
    Map<String, String> labels = new HashMap<>();
    labels.put(SandboxLabels.OWNER, SandboxLabels.OWNER_VALUE);
    if (loopId != null) {
      labels.put(SandboxLabels.LOOP_ID, loopId);
    }
    labels.put(SandboxLabels.KIND, kind);
    Network network = mock(Network.class);
    when(network.getId()).thenReturn(id);
    when(network.getName()).thenReturn("forge-" + id);
    when(network.getLabels()).thenReturn(labels);
    when(network.getCreated()).thenReturn(Date.from(Instant.parse(created)));
    when(network.getContainers())
        .thenReturn(used ? Map.of("proxy", mock(Network.ContainerNetworkConfig.class)) : Map.of());
    when(docker.inspectNetworkCmd().withNetworkId(id).exec()).thenReturn(network);
    return network;
  }

  @Test
  void shouldRemoveNetworksOfEndedLoopsAndLongUnusedOnesButNeverTheEgressNetwork() {
    String sandbox = SandboxLabels.KIND_SANDBOX_NETWORK;
    List<Network> networks =
        List.of(
            network("ended", "old-loop", sandbox, "2026-01-10T11:59:00Z", true),
            network("no-loop", null, sandbox, "2026-01-10T11:59:00Z", false),
            network(
                "egress", null, SandboxLabels.KIND_EGRESS_NETWORK, "2026-01-01T00:00:00Z", false),
            network("unused-long-ago", "live", sandbox, "2026-01-10T11:00:00Z", false),
            network("unused-just-now", "live", sandbox, "2026-01-10T11:59:30Z", false),
            network("in-use", "live", sandbox, "2026-01-10T11:00:00Z", true));
    when(docker.listNetworksCmd().withFilter(eq("label"), anyCollection()).exec())
        .thenReturn(networks);

    List<String> removed = reaper.removeOrphans(Set.of("live")::contains);

    assertThat(removed).containsExactlyInAnyOrder("ended", "no-loop", "unused-long-ago");
    verify(docker, never()).removeNetworkCmd("egress");
    verify(docker, never()).removeNetworkCmd("unused-just-now");
    verify(docker, never()).removeNetworkCmd("in-use");
  }
}
