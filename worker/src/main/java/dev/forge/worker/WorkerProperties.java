package dev.forge.worker;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code forge.worker.*}: where the worker keeps loop work trees and how it reaches Docker.
 *
 * @param worktreesDir where each loop's git worktree is created ({@code <dir>/<loop-id>})
 * @param dockerHost the Docker engine, e.g. {@code unix:///var/run/docker.sock}
 * @param heartbeatInterval how often a running sandbox step heartbeats (and notices cancellation)
 * @param gitTimeout the longest one host-side git command may take
 */
@ConfigurationProperties("forge.worker")
public record WorkerProperties(
    Path worktreesDir, String dockerHost, Duration heartbeatInterval, Duration gitTimeout) {

  public WorkerProperties {
    if (worktreesDir == null) {
      throw new IllegalArgumentException("forge.worker.worktrees-dir must be set");
    }
    worktreesDir = worktreesDir.toAbsolutePath().normalize();
    dockerHost = dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost;
    heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(2) : heartbeatInterval;
    gitTimeout = gitTimeout == null ? Duration.ofMinutes(2) : gitTimeout;
  }
}
