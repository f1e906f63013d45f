package dev.forge.activities.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets rid of the containers and networks Forge made, tolerating objects that are already gone:
 * the sandbox activity, its retries, the egress proxies and the reaper may all race to remove the
 * same one.
 */
public final class DockerObjects {

  private static final Logger log = LoggerFactory.getLogger(DockerObjects.class);

  private DockerObjects() {}

  /** Kills (if running) and removes a container; one that is already gone is fine. */
  public static void destroyContainer(DockerClient docker, String containerId) {
    try {
      docker.killContainerCmd(containerId).exec();
    } catch (NotFoundException | ConflictException notRunning) {
      // Already stopped or gone; removal below settles it.
    } catch (RuntimeException e) {
      log.warn("could not kill container {}: {}", containerId, e.toString());
    }
    try {
      docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // Removed meanwhile (by the reaper or an earlier call).
    } catch (ConflictException inProgress) {
      log.debug("removal of container {} already in progress", containerId);
    }
  }

  /**
   * Removes a network, first force-disconnecting whatever is still attached (a container that
   * outlived its step). Returns whether this call removed it; a network that is already gone is
   * fine, and one Docker will not remove is logged and left.
   */
  public static boolean removeNetwork(DockerClient docker, String networkId) {
    try {
      Network network = docker.inspectNetworkCmd().withNetworkId(networkId).exec();
      if (network.getContainers() != null) {
        for (String containerId : network.getContainers().keySet()) {
          try {
            docker.disconnectFromNetworkCmd().withNetworkId(networkId)
                .withContainerId(containerId).withForce(true).exec();
          } catch (NotFoundException gone) {
            // Removed meanwhile.
          }
        }
      }
      docker.removeNetworkCmd(networkId).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    } catch (DockerException e) {
      log.warn("could not remove network {}: {}", networkId, e.getMessage());
      return false;
    }
  }
}
