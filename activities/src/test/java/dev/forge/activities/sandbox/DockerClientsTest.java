package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.RemoteApiVersion;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DockerClientsTest {

  @Test
  void shouldUseTheGivenHostAndLeaveTheApiVersionToTheDaemon() {
    DockerClientConfig config = DockerClients.config("unix:///run/forge-test.sock");

    assertThat(config.getDockerHost()).isEqualTo(URI.create("unix:///run/forge-test.sock"));
    assertThat(config.getApiVersion()).isEqualTo(RemoteApiVersion.unknown());
  }

  @Test
  void shouldFallBackToDockerHostOrTheDefaultSocket() {
    String expected =
        System.getenv("DOCKER_HOST") == null || System.getenv("DOCKER_HOST").isBlank()
            ? DockerClients.DEFAULT_DOCKER_HOST
            : System.getenv("DOCKER_HOST").strip();

    assertThat(DockerClients.config(" ").getDockerHost()).isEqualTo(URI.create(expected));
    assertThat(DockerClients.config(null).getDockerHost()).isEqualTo(URI.create(expected));
  }
}
