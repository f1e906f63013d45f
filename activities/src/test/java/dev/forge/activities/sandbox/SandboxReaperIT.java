package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.IMAGE;
import static dev.forge.activities.sandbox.SandboxFixtures.loopId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
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

  @BeforeEach
  void setUp() {
    docker = DockerClients.connect(null);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String id : created) {
      SandboxContainers.destroy(docker, id);
    }
    docker.close();
  }

  private String sleeper(Map<String, String> labels) {
    String id =
        docker
            .createContainerCmd(IMAGE)
            .withLabels(labels)
            .withEntrypoint("sleep", "600")
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
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
}
