package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
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
 * Removes sandbox containers that nothing will clean up any more: those of loops that are no
 * longer active (or carry no loop id), whatever their state, and stopped ones of active loops once
 * they have been stopped for longer than a grace period. The grace keeps the reaper from taking a
 * container whose step is still reading its exit code. Only containers labelled {@code
 * dev.forge.owner=forge} are ever touched.
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
   * Removes orphaned sandbox containers.
   *
   * @param loopIsActive whether a loop id belongs to a loop that may still run steps
   * @return the ids of the removed containers
   */
  public List<String> removeOrphans(Predicate<String> loopIsActive) {
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
