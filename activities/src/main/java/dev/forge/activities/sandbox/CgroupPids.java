package dev.forge.activities.sandbox;

import dev.forge.workflows.sandbox.SandboxOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a container reached its pids limit. Docker makes fork fail at the limit but reports
 * nothing; the kernel counts the refusals in the container cgroup's {@code pids.events} ({@code
 * max N}). Found under the cgroupfs and systemd layouts of cgroup v1 and v2 when the worker runs on
 * the Docker host; where the file cannot be found (a remote engine), exhaustion is not detected and
 * the step runs on to its timeout.
 */
final class CgroupPids implements LimitWatch {

  private static final Logger log = LoggerFactory.getLogger(CgroupPids.class);
  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private final Path root;
  private volatile boolean warned;
  private volatile String seen;

  CgroupPids() {
    this(ROOT);
  }

  CgroupPids(Path root) {
    this.root = root;
  }

  @Override
  public Optional<SandboxOutcome> breached(String containerId) {
    return refusedForks(containerId) > 0
        ? Optional.of(SandboxOutcome.PIDS_EXHAUSTED)
        : Optional.empty();
  }

  /** How often fork was refused at the limit; 0 when unknown. */
  long refusedForks(String containerId) {
    for (Path candidate : candidates(containerId)) {
      try {
        List<String> lines = Files.readAllLines(candidate);
        seen = containerId;
        for (String line : lines) {
          if (line.startsWith("max ")) {
            return Long.parseLong(line.substring(4).trim());
          }
        }
        return 0;
      } catch (IOException | NumberFormatException notThere) {
        // Try the next layout; the file vanishes with the container too.
      }
    }
    // Once seen, a missing file means the container has gone, not that the layout is unknown.
    if (!warned && !containerId.equals(seen)) {
      warned = true;
      log.warn("cannot find the pids cgroup of container {} under {}; a sandbox that reaches its"
          + " pids limit will run on until its timeout", containerId, root);
    }
    return 0;
  }

  private List<Path> candidates(String id) {
    return List.of(
        root.resolve("pids/docker/" + id + "/pids.events"),
        root.resolve("pids/system.slice/docker-" + id + ".scope/pids.events"),
        root.resolve("system.slice/docker-" + id + ".scope/pids.events"),
        root.resolve("docker/" + id + "/pids.events"));
  }
}
