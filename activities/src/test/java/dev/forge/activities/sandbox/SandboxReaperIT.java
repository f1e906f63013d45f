package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.IMAGE;
import static dev.forge.activities.sandbox.SandboxFixtures.loopId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reaper against the real engine. Other builds may share the engine, so every loop that is not
 * this test's counts as active: the reaper then only touches their containers if they stopped long
 * ago, which is its job anyway.
 */
class SandboxReaperIT {

  private DockerClient docker;
  private final List<String> created = new java.util.ArrayList<>();
  private final List<String> networks = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() {
    docker = DockerClients.connect(null);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String id : created) {
      SandboxContainers.destroy(docker, id);
    }
    for (String id : networks) {
      try {
        docker.removeNetworkCmd(id).exec();
      } catch (NotFoundException gone) {
        // Reaped, as it should be.
      }
    }
    docker.close();
  }

  private String sleeper(Map<String, String> labels) {
    return sleeper(labels, "none");
  }

  private String sleeper(Map<String, String> labels, String network) {
    String id =
        docker
            .createContainerCmd(IMAGE)
            .withLabels(labels)
            .withEntrypoint("sleep", "600")
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network))
            .exec()
            .getId();
    created.add(id);
    docker.startContainerCmd(id).exec();
    return id;
  }

  @Test
  void shouldRemoveRunningContainersOfEndedLoopsAndNothingElse() {
    String ended = loopId("reaper-ended");
    String active = loopId("reaper-active");
    String orphan = sleeper(Map.of(SandboxLabels.OWNER, "forge", SandboxLabels.LOOP_ID, ended));
    String alive = sleeper(Map.of(SandboxLabels.OWNER, "forge", SandboxLabels.LOOP_ID, active));
    String foreign = sleeper(Map.of("dev.forge.loop-id", ended));

    List<String> removed = new SandboxReaper(docker).removeOrphans(loopId -> !loopId.equals(ended));

    assertThat(removed).contains(orphan).doesNotContain(alive, foreign);
    assertThatThrownBy(() -> docker.inspectContainerCmd(orphan).exec())
        .isInstanceOf(NotFoundException.class);
    assertThat(docker.inspectContainerCmd(alive).exec().getState().getRunning()).isTrue();
    assertThat(docker.inspectContainerCmd(foreign).exec().getState().getRunning()).isTrue();
  }

  private String network(String name, Map<String, String> labels) {
    String id =
        docker
            .createNetworkCmd()
            .withName(name)
            .withInternal(true)
            .withCheckDuplicate(true)
            .withOptions(Map.of("com.docker.network.bridge.inhibit_ipv4", "true"))
            .withLabels(labels)
            .exec()
            .getId();
    networks.add(id);
    return id;
  }

  private static Map<String, String> labels(String loopId, String kind) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SandboxLabels.OWNER, SandboxLabels.OWNER_VALUE);
    if (loopId != null) {
      labels.put(SandboxLabels.LOOP_ID, loopId);
    }
    labels.put(SandboxLabels.KIND, kind);
    return labels;
  }

  private boolean exists(String networkId) {
    try {
      docker.inspectNetworkCmd().withNetworkId(networkId).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    }
  }

  @Test
  void shouldRemoveNetworksAndProxiesOfEndedLoopsAndKeepTheRest() {
    String ended = loopId("reaper-net-ended");
    String active = loopId("reaper-net-active");
    // An ended loop's internal network, its proxy still attached and running.
    String endedNetwork =
        network("forge-it-" + ended, labels(ended, SandboxLabels.KIND_SANDBOX_NETWORK));
    String endedProxy = sleeper(labels(ended, SandboxLabels.KIND_EGRESS_PROXY), endedNetwork);
    // An active loop's network in use: kept.
    String activeNetwork =
        network("forge-it-" + active, labels(active, SandboxLabels.KIND_SANDBOX_NETWORK));
    String activeProxy = sleeper(labels(active, SandboxLabels.KIND_EGRESS_PROXY), activeNetwork);
    // The shared egress network carries no loop id and is never reaped.
    String egress =
        network("forge-it-egress-" + ended, labels(null, SandboxLabels.KIND_EGRESS_NETWORK));
    // Not Forge's (no owner label), even though it names the ended loop.
    String foreign = network("forge-it-foreign-" + ended, Map.of(SandboxLabels.LOOP_ID, ended));

    List<String> removed = new SandboxReaper(docker).removeOrphans(loopId -> !loopId.equals(ended));

    assertThat(removed)
        .contains(endedProxy, endedNetwork)
        .doesNotContain(activeProxy, activeNetwork, egress, foreign);
    assertThat(exists(endedNetwork)).isFalse();
    assertThatThrownBy(() -> docker.inspectContainerCmd(endedProxy).exec())
        .isInstanceOf(NotFoundException.class);
    assertThat(exists(activeNetwork)).isTrue();
    assertThat(exists(egress)).isTrue();
    assertThat(exists(foreign)).isTrue();
    assertThat(docker.inspectContainerCmd(activeProxy).exec().getState().getRunning()).isTrue();
  }
}
