package dev.forge.activities.sandbox.egress;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Docker objects the egress proxy tests make for themselves: networks with fixed subnets,
 * upstream containers, short-lived client containers. Nothing here carries Forge's owner label, so
 * the reaper never touches it; everything is removed by {@link #close}.
 */
final class EgressTestNetworks implements AutoCloseable {

  static final String SANDBOX_IMAGE =
      System.getProperty("forge.test.sandbox-image", "forge/sandbox:0.1.0-bookworm");
  static final String UPSTREAM_IMAGE =
      System.getProperty("forge.test.upstream-image", "forge/test-upstream:0.1.0-bookworm");
  static final String PROXY_IMAGE =
      System.getProperty("forge.test.egress-proxy-image", EgressSettings.DEFAULT_PROXY_IMAGE);
  static final int UPSTREAM_PORT = 8080;
  static final String UPSTREAM_BODY = "forge-test-upstream ok";
  static final String TEST_LABEL = "dev.forge.it";

  private final DockerClient docker;
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> containers = new ArrayList<>();
  private final List<String> networks = new ArrayList<>();

  EgressTestNetworks(DockerClient docker) {
    this.docker = docker;
  }

  String id() {
    return id;
  }

  /**
   * A bridge network with a /28 subnet picked at random from {@code prefix} (a /24 written as its
   * first three octets), so that concurrent builds do not collide.
   */
  Network network(String purpose, String prefix, boolean internal) {
    DockerException last = null;
    for (int attempt = 0; attempt < 12; attempt++) {
      int block = ThreadLocalRandom.current().nextInt(1, 16) * 16;
      String subnet = prefix + "." + block + "/28";
      try {
        String networkId =
            docker
                .createNetworkCmd()
                .withName("forge-it-" + purpose + "-" + id)
                .withDriver("bridge")
                .withInternal(internal)
                .withCheckDuplicate(true)
                .withOptions(internal ? Map.of(EgressProxies.INHIBIT_IPV4, "true") : Map.of())
                .withIpam(
                    new Network.Ipam()
                        .withConfig(
                            new Network.Ipam.Config()
                                .withSubnet(subnet)
                                .withGateway(prefix + "." + (block + 1))))
                .withLabels(Map.of(TEST_LABEL, id))
                .exec()
                .getId();
        networks.add(networkId);
        return docker.inspectNetworkCmd().withNetworkId(networkId).exec();
      } catch (DockerException e) {
        // Most likely "Pool overlaps with other one on this address space": try another block.
        last = e;
      }
    }
    throw new IllegalStateException("could not create a test network in " + prefix + ".0/24", last);
  }

  /** Starts a test upstream (busybox httpd on 8080) on {@code network} with the given aliases. */
  String upstream(String name, Network network, String... aliases) {
    String containerId =
        docker
            .createContainerCmd(UPSTREAM_IMAGE)
            .withName("forge-it-" + name + "-" + id)
            .withLabels(Map.of(TEST_LABEL, id))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode(network.getName())
                    .withReadonlyRootfs(true)
                    .withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges")))
            .withAliases(aliases)
            .exec()
            .getId();
    containers.add(containerId);
    docker.startContainerCmd(containerId).exec();
    return containerId;
  }

  void connect(String containerId, Network network, String... aliases) {
    docker
        .connectToNetworkCmd()
        .withNetworkId(network.getId())
        .withContainerId(containerId)
        .withContainerNetwork(new ContainerNetwork().withAliases(aliases))
        .exec();
  }

  String ipOn(String containerId, Network network) {
    for (ContainerNetwork attached :
        docker
            .inspectContainerCmd(containerId)
            .exec()
            .getNetworkSettings()
            .getNetworks()
            .values()) {
      if (network.getId().equals(attached.getNetworkID())) {
        return attached.getIpAddress();
      }
    }
    throw new IllegalStateException(containerId + " is not on " + network.getName());
  }

  /** What a client container printed, and its exit code. */
  record Run(int exitCode, String output) {}

  /**
   * Runs {@code bash -c script} in a sandbox-image container as uid 1000 with a read-only root fs
   * and no capabilities, configured by {@code hostConfig} (network and DNS), and removes it.
   */
  Run client(HostConfig hostConfig, List<String> env, String script, Duration timeout)
      throws InterruptedException {
    String containerId =
        docker
            .createContainerCmd(SANDBOX_IMAGE)
            .withLabels(Map.of(TEST_LABEL, id))
            .withUser("1000:1000")
            .withEnv(env)
            .withEntrypoint("bash", "-c", script)
            .withHostConfig(
                hostConfig
                    .withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=16m"))
                    .withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges")))
            .exec()
            .getId();
    try {
      docker.startContainerCmd(containerId).exec();
      Integer code =
          docker
              .waitContainerCmd(containerId)
              .start()
              .awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS);
      return new Run(code, logs(containerId));
    } finally {
      remove(containerId);
    }
  }

  String logs(String containerId) throws InterruptedException {
    StringBuilder text = new StringBuilder();
    ResultCallback.Adapter<Frame> frames =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
          }
        };
    docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).exec(frames);
    frames.awaitCompletion(30, TimeUnit.SECONDS);
    return text.toString();
  }

  void remove(String containerId) {
    try {
      docker.removeContainerCmd(containerId).withForce(true).exec();
    } catch (NotFoundException | ConflictException gone) {
      // Gone already, or going.
    }
  }

  @Override
  public void close() {
    for (String containerId : containers) {
      remove(containerId);
    }
    for (String networkId : networks) {
      try {
        docker.removeNetworkCmd(networkId).exec();
      } catch (NotFoundException gone) {
        // Fine.
      } catch (DockerException e) {
        System.err.println("could not remove test network " + networkId + ": " + e.getMessage());
      }
    }
  }
}
