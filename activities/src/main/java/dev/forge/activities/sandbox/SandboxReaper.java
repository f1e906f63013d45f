package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.forge.activities.sandbox.docker.DockerObjects;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes sandbox containers that nothing will clean up any more: those of loops that are no longer
 * active (or carry no loop id), whatever their state, and stopped ones of active loops once they
 * have been stopped for longer than a grace period. The grace keeps the reaper from taking a
 * container whose step is still reading its exit code. Egress proxy containers are sandbox
 * containers in this sense.
 *
 * <p>Then the same for networks (a step's internal network in the {@code restricted} mode): those
 * of loops that are no longer active (or carry no loop id), and those of active loops that no
 * container uses and that were created longer than the grace period ago. The shared egress network
 * ({@code dev.forge.kind=egress-network}) is never removed.
 *
 * <p>Only objects labelled {@code dev.forge.owner=forge} are ever touched.
 */
public final class SandboxReaper {

  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

  private static final Logger log = LoggerFactory.getLogger(SandboxReaper.class);

  private final DockerClient docker;
  private final Clock clock;
  private final Duration grace;

  public SandboxReaper(DockerClient docker) {
    this(docker, Clock.systemUTC(), DEFAULT_GRACE);
  }

  public SandboxReaper(DockerClient docker, Clock clock, Duration grace) {
    this.docker = docker;
    this.clock = clock;
    this.grace = grace;
  }

  /**
   * Removes orphaned sandbox containers, then orphaned networks.
   *
   * @param loopIsActive whether a loop id belongs to a loop that may still run steps
   * @return the ids of the removed containers and networks
   */
  public List<String> removeOrphans(Predicate<String> loopIsActive) {
    List<String> removed = removeOrphanContainers(loopIsActive);
    removed.addAll(removeOrphanNetworks(loopIsActive));
    return removed;
  }

  private List<String> removeOrphanContainers(Predicate<String> loopIsActive) {
    List<Container> owned =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(SandboxLabels.OWNER, SandboxLabels.OWNER_VALUE))
            .exec();
    List<String> removed = new ArrayList<>();
    for (Container container : owned) {
      String loopId =
          container.getLabels() == null ? null : container.getLabels().get(SandboxLabels.LOOP_ID);
      boolean orphan =
          loopId == null || !loopIsActive.test(loopId) || stoppedLongAgo(container.getId());
      if (orphan) {
        log.info("reaping sandbox container {} of loop {}", container.getId(), loopId);
        SandboxContainers.destroy(docker, container.getId());
        removed.add(container.getId());
      }
    }
    return removed;
  }

  private List<String> removeOrphanNetworks(Predicate<String> loopIsActive) {
    List<Network> owned =
        docker
            .listNetworksCmd()
            .withFilter("label", List.of(SandboxLabels.OWNER + "=" + SandboxLabels.OWNER_VALUE))
            .exec();
    List<String> removed = new ArrayList<>();
    if (owned == null) {
      return removed;
    }
    for (Network network : owned) {
      Map<String, String> labels = network.getLabels() == null ? Map.of() : network.getLabels();
      if (SandboxLabels.KIND_EGRESS_NETWORK.equals(labels.get(SandboxLabels.KIND))) {
        continue;
      }
      String loopId = labels.get(SandboxLabels.LOOP_ID);
      boolean orphan =
          loopId == null || !loopIsActive.test(loopId) || unusedLongAgo(network.getId());
      if (orphan && DockerObjects.removeNetwork(docker, network.getId())) {
        log.info("reaped sandbox network {} of loop {}", network.getName(), loopId);
        removed.add(network.getId());
      }
    }
    return removed;
  }

  /** No container uses it, and it was created before the grace period. */
  private boolean unusedLongAgo(String networkId) {
    Network inspected;
    try {
      inspected = docker.inspectNetworkCmd().withNetworkId(networkId).exec();
    } catch (NotFoundException gone) {
      return false;
    }
    boolean unused = inspected.getContainers() == null || inspected.getContainers().isEmpty();
    return unused
        && inspected.getCreated() != null
        && inspected.getCreated().toInstant().isBefore(clock.instant().minus(grace));
  }

  private boolean stoppedLongAgo(String containerId) {
    InspectContainerResponse inspected;
    try {
      inspected = docker.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException gone) {
      return false;
    }
    ContainerState state = inspected.getState();
    if (Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getPaused())) {
      return false;
    }
    Instant cutoff = clock.instant().minus(grace);
    Instant finished = parse(state.getFinishedAt());
    if (finished != null && finished.isAfter(Instant.EPOCH)) {
      return finished.isBefore(cutoff);
    }
    // Never started: judge by creation time.
    Instant created = parse(inspected.getCreated());
    return created != null && created.isBefore(cutoff);
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
