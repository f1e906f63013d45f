package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/**
 * Builds the Docker client Forge uses.
 *
 * <p>No API version is pinned: requests go unversioned and the daemon answers with its own (Debian's
 * docker.io speaks 1.41). There is a connection timeout but no response timeout, on purpose: a
 * sandbox step holds two long-lived streams (its output, and the wait for its exit) that may stay
 * silent for as long as the step runs. A hung daemon is caught one level up: the activity stops
 * heartbeating and Temporal retries it elsewhere.
 */
public final class DockerClients {

  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  /** Each running step holds two connections; this bounds concurrent steps per worker to ~50. */
  static final int MAX_CONNECTIONS = 100;

  private DockerClients() {}

  /**
   * Connects to {@code dockerHost}; when it is null or blank, to {@code DOCKER_HOST}, and failing
   * that to {@value #DEFAULT_DOCKER_HOST}. Connecting is lazy: an unreachable daemon shows up on
   * the first request.
   */
  public static DockerClient connect(String dockerHost) {
    DockerClientConfig config = config(dockerHost);
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(CONNECTION_TIMEOUT)
            .maxConnections(MAX_CONNECTIONS)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  static DockerClientConfig config(String dockerHost) {
    String host = firstNonBlank(dockerHost, System.getenv("DOCKER_HOST"), DEFAULT_DOCKER_HOST);
    return DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
  }

  private static String firstNonBlank(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.strip();
      }
    }
    throw new IllegalArgumentException("no Docker host");
  }
}
