package dev.forge.activities.sandbox.egress;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Ulimit;
import dev.forge.activities.sandbox.docker.DockerObjects;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the egress proxy of a sandbox step in the {@code restricted} network mode.
 *
 * <p>{@link #start} makes an {@code internal} Docker network for the step (no route out, and no
 * address of the host on it), starts a Squid container on the shared egress network and connects it
 * to the internal one. The sandbox then joins only the internal network ({@link
 * EgressLease#isolate}), so the proxy is the only thing it can reach. The proxy's configuration
 * ({@link SquidConfig}) is fixed when it starts and lives inside the proxy container; nothing on
 * the internal network can change it.
 *
 * <p>Every object carries the step's labels ({@link SandboxLabels}) plus {@link
 * SandboxLabels#KIND}, so that {@link #removeLeftovers} and the {@code SandboxReaper} find what a
 * crashed attempt left. Note that {@code SandboxContainers.removeLeftovers} matches the step's
 * labels too, and so removes the step's proxy: call it before {@link #start}, never after.
 */
public final class EgressProxies {

  /** Debian's {@code proxy} user and group; Squid never runs as root. */
  static final String PROXY_USER = "13:13";

  static final String READY_MESSAGE = "Accepting HTTP Socket connections";
  static final String INHIBIT_IPV4 = "com.docker.network.bridge.inhibit_ipv4";
  static final String ENABLE_ICC = "com.docker.network.bridge.enable_icc";
  static final Duration LOG_TIMEOUT = Duration.ofSeconds(30);

  private static final String TMPFS = "rw,nosuid,nodev,noexec,size=8m,uid=13,gid=13,mode=0700";
  private static final List<String> TMPFS_PATHS =
      List.of("/var/run/squid", "/var/spool/squid", "/var/log/squid", "/tmp");
  private static final Duration POLL = Duration.ofMillis(50);

  private static final Logger log = LoggerFactory.getLogger(EgressProxies.class);

  private final DockerClient docker;
  private final EgressSettings settings;

  public EgressProxies(DockerClient docker, EgressSettings settings) {
    this.docker = docker;
    this.settings = settings;
  }

  /**
   * Starts the proxy of one attempt of a step, after removing whatever an earlier attempt left.
   *
   * @param allowedHosts normalised {@code host:port} entries (see {@link SquidConfig#of})
   * @return the running proxy; {@link #stop} it in a finally block
   * @throws IllegalArgumentException if an allowlist entry is malformed (nothing is created then)
   * @throws EgressProxyException if Docker fails or Squid does not come up; nothing is left behind
   */
  public EgressLease start(
      String loopId, int iteration, String step, String runId, List<String> allowedHosts)
      throws InterruptedException {
    return start(loopId, iteration, step, runId, allowedHosts, null);
  }

  /**
   * Starts the proxy of one attempt of a step, as {@link #start(String, int, String, String, List)}
   * does, and with {@code model} also the step's way to the model gateway ({@link
   * SquidConfig#withModelRoute}).
   *
   * @param model the route to the model gateway, or {@code null} for none
   */
  public EgressLease start(
      String loopId, int iteration, String step, String runId, List<String> allowedHosts,
      ModelRoute model) throws InterruptedException {
    // Check the allowlist before touching Docker.
    List<String> allowed = SquidConfig.of(allowedHosts, List.of(), List.of()).allowedHosts();
    String base = SandboxLabels.name(loopId, iteration, step) + "-" + SandboxLabels.shortHash(runId);
    String networkId = null;
    String proxyId = null;
    boolean started = false;
    long begin = System.nanoTime();
    try {
      removeLeftovers(loopId, iteration, step);
      Network egress = ensureEgressNetwork();
      networkId =
          docker
              .createNetworkCmd()
              .withName(base + "-net")
              .withDriver("bridge")
              .withInternal(true)
              .withEnableIpv6(false)
              .withCheckDuplicate(true)
              .withAttachable(false)
              // Without this the host has the network's gateway address, and a sandbox could
              // connect to anything listening on the host (the Forge API) through it.
              .withOptions(Map.of(INHIBIT_IPV4, "true"))
              .withLabels(
                  labels(loopId, iteration, step, runId, SandboxLabels.KIND_SANDBOX_NETWORK))
              .exec()
              .getId();
      Network internal = docker.inspectNetworkCmd().withNetworkId(networkId).exec();
      Set<String> denied = new LinkedHashSet<>(workerAddresses());
      denied.addAll(gateways(egress));
      denied.addAll(gateways(internal));
      denied.addAll(settings.deniedAddresses());
      SquidConfig config = SquidConfig.of(allowed, denied, subnets(internal));
      if (model != null) {
        config = config.withModelRoute(model);
      }
      proxyId = createProxy(base + "-proxy", loopId, iteration, step, runId, config);
      docker.connectToNetworkCmd().withNetworkId(networkId).withContainerId(proxyId).exec();
      docker.startContainerCmd(proxyId).exec();
      awaitReady(proxyId);
      String ip = ipOn(proxyId, networkId);
      EgressLease lease =
          new EgressLease(
              loopId, iteration, step, runId, networkId, base + "-net", proxyId, ip, allowed,
              model != null);
      log.info(
          "egress proxy {} for loop {} iteration {} step {} up in {} ms at {} (allowlist {})",
          proxyId,
          loopId,
          iteration,
          step,
          Duration.ofNanos(System.nanoTime() - begin).toMillis(),
          lease.proxyAddress(),
          allowed);
      started = true;
      return lease;
    } catch (DockerException e) {
      throw new EgressProxyException(
          "could not start the egress proxy of loop "
              + loopId
              + " iteration "
              + iteration
              + " step "
              + step
              + ": "
              + e.getMessage(),
          e);
    } finally {
      if (!started) {
        removeQuietly(proxyId, networkId);
      }
    }
  }

  /**
   * Every decision the proxy logged so far, oldest first; lines that are not access log lines are
   * skipped. Squid logs a request when it ends, a CONNECT tunnel when it closes: call this after
   * the sandbox container has ended (its tunnels close with it), and before {@link #stop}. The log
   * is Docker's json-file log, capped at 16 MiB per proxy.
   */
  public List<EgressDecision> decisions(EgressLease lease) throws InterruptedException {
    List<EgressDecision> decisions = new ArrayList<>();
    ContainerLogLines.read(
        docker,
        lease.proxyContainerId(),
        true,
        false,
        LOG_TIMEOUT,
        line -> {
          EgressDecision.parse(line)
              .ifPresentOrElse(
                  decisions::add,
                  () -> {
                    if (!line.isBlank()) {
                      log.warn(
                          "egress proxy {}: unexpected access log line", lease.proxyContainerId());
                    }
                  });
        });
    return decisions;
  }

  /** Removes the proxy and the internal network; objects that are already gone are fine. */
  public void stop(EgressLease lease) {
    destroyContainer(lease.proxyContainerId());
    removeNetwork(lease.networkId());
  }

  /**
   * Removes the proxy containers and internal networks earlier attempts of the step left behind.
   * Returns how many objects were removed.
   */
  public int removeLeftovers(String loopId, int iteration, String step) {
    Map<String, String> proxyLabels =
        new LinkedHashMap<>(SandboxLabels.forStep(loopId, iteration, step));
    proxyLabels.put(SandboxLabels.KIND, SandboxLabels.KIND_EGRESS_PROXY);
    List<Container> proxies =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(proxyLabels).exec();
    for (Container proxy : proxies) {
      log.warn(
          "removing egress proxy {} left by an earlier attempt of loop {} iteration {} step {}",
          proxy.getId(),
          loopId,
          iteration,
          step);
      destroyContainer(proxy.getId());
    }
    Map<String, String> networkLabels =
        new LinkedHashMap<>(SandboxLabels.forStep(loopId, iteration, step));
    networkLabels.put(SandboxLabels.KIND, SandboxLabels.KIND_SANDBOX_NETWORK);
    List<Network> networks =
        docker.listNetworksCmd().withFilter("label", labelFilter(networkLabels)).exec();
    for (Network network : networks) {
      log.warn(
          "removing network {} left by an earlier attempt of loop {} iteration {} step {}",
          network.getName(),
          loopId,
          iteration,
          step);
      removeNetwork(network.getId());
    }
    return proxies.size() + networks.size();
  }

  /**
   * The addresses of the worker's own network interfaces (without IPv6 zones). When the worker runs
   * on the Docker host, these are the host's addresses; a worker in a container sees only its own,
   * and the host's must be added to {@link EgressSettings#deniedAddresses}.
   */
  public static List<String> workerAddresses() {
    Set<String> addresses = new LinkedHashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          String text = address.getHostAddress();
          int zone = text.indexOf('%');
          addresses.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException e) {
      throw new EgressProxyException(
          "cannot list the worker's network addresses, which the egress proxy must refuse", e);
    }
    return List.copyOf(addresses);
  }

  /**
   * The worker's address on the egress network (its bridge's gateway), creating the network if it
   * does not exist yet: where the proxies reach the model gateway. Only the proxies of Forge's
   * steps are on that network, and they forward to the gateway only what arrives on their model
   * port.
   */
  public String egressGatewayAddress() {
    Network egress = ensureEgressNetwork();
    return gateways(egress).stream()
        .filter(address -> address.indexOf(':') < 0)
        .findFirst()
        .orElseThrow(() -> new EgressProxyException("the egress network "
            + settings.egressNetwork() + " has no IPv4 gateway for the model gateway to listen on"));
  }

  /**
   * Removes a Forge network, first disconnecting whatever is still attached (a sandbox container
   * that outlived its step). A network that is already gone is fine.
   */
  public void removeNetwork(String networkId) {
    DockerObjects.removeNetwork(docker, networkId);
  }

  private Network ensureEgressNetwork() {
    String name = settings.egressNetwork();
    Network network;
    try {
      network = docker.inspectNetworkCmd().withNetworkId(name).exec();
    } catch (NotFoundException missing) {
      try {
        docker
            .createNetworkCmd()
            .withName(name)
            .withDriver("bridge")
            .withCheckDuplicate(true)
            .withEnableIpv6(false)
            // Proxies of different loops share this network; they have nothing to say to each
            // other.
            .withOptions(Map.of(ENABLE_ICC, "false"))
            .withLabels(
                Map.of(
                    SandboxLabels.OWNER,
                    SandboxLabels.OWNER_VALUE,
                    SandboxLabels.KIND,
                    SandboxLabels.KIND_EGRESS_NETWORK))
            .exec();
        log.info("created the egress network {}", name);
      } catch (ConflictException raced) {
        // Another worker created it just now.
      }
      network = docker.inspectNetworkCmd().withNetworkId(name).exec();
    }
    if (Boolean.TRUE.equals(network.getInternal())) {
      throw new EgressProxyException(
          "the egress network " + name + " is internal: proxies on it could not reach anything");
    }
    return network;
  }

  private String createProxy(
      String name, String loopId, int iteration, String step, String runId, SquidConfig config) {
    Map<String, String> tmpfs = new LinkedHashMap<>();
    for (String path : TMPFS_PATHS) {
      tmpfs.put(path, TMPFS);
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(settings.egressNetwork())
            .withReadonlyRootfs(true)
            .withTmpFs(tmpfs)
            .withCapDrop(Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withMemory(settings.memoryBytes())
            .withMemorySwap(settings.memoryBytes())
            .withNanoCPUs(1_000_000_000L)
            .withPidsLimit(settings.pids())
            .withUlimits(List.of(new Ulimit("nofile", 4096L, 4096L)))
            .withPrivileged(false)
            .withDevices(List.of())
            .withIpcMode("private")
            // Read back by decisions(); capped so a chatty sandbox cannot fill the host's disk.
            .withLogConfig(
                new LogConfig(
                    LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "8m", "max-file", "2")))
            .withRestartPolicy(RestartPolicy.noRestart())
            .withAutoRemove(false);
    String encoded =
        Base64.getEncoder().encodeToString(config.render().getBytes(StandardCharsets.UTF_8));
    return docker
        .createContainerCmd(settings.proxyImage())
        .withName(name)
        .withLabels(labels(loopId, iteration, step, runId, SandboxLabels.KIND_EGRESS_PROXY))
        .withUser(PROXY_USER)
        .withEnv("FORGE_SQUID_CONF=" + encoded)
        .withTty(false)
        .withStdinOpen(false)
        .withHostConfig(host)
        .exec()
        .getId();
  }

  /** Waits until Squid says it accepts connections; fails early when its container ends. */
  private void awaitReady(String proxyId) throws InterruptedException {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (true) {
      boolean[] ready = {false};
      ContainerLogLines.read(
          docker,
          proxyId,
          false,
          true,
          LOG_TIMEOUT,
          line -> ready[0] |= line.contains(READY_MESSAGE));
      if (ready[0]) {
        return;
      }
      InspectContainerResponse.ContainerState state =
          docker.inspectContainerCmd(proxyId).exec().getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        throw new EgressProxyException(
            "the egress proxy exited with code "
                + state.getExitCodeLong()
                + " before accepting connections; its last lines:\n"
                + String.join("\n", ContainerLogLines.tail(docker, proxyId, 20, LOG_TIMEOUT)));
      }
      if (System.nanoTime() > deadline) {
        throw new EgressProxyException(
            "the egress proxy did not accept connections within "
                + settings.startTimeout()
                + "; its last lines:\n"
                + String.join("\n", ContainerLogLines.tail(docker, proxyId, 20, LOG_TIMEOUT)));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private String ipOn(String containerId, String networkId) {
    Map<String, ContainerNetwork> networks =
        docker.inspectContainerCmd(containerId).exec().getNetworkSettings().getNetworks();
    for (ContainerNetwork network : networks.values()) {
      if (networkId.equals(network.getNetworkID())
          && network.getIpAddress() != null
          && !network.getIpAddress().isBlank()) {
        return network.getIpAddress();
      }
    }
    throw new EgressProxyException(
        "the egress proxy " + containerId + " has no address on network " + networkId);
  }

  private void destroyContainer(String containerId) {
    DockerObjects.destroyContainer(docker, containerId);
  }


  private void removeQuietly(String proxyId, String networkId) {
    try {
      if (proxyId != null) {
        destroyContainer(proxyId);
      }
      if (networkId != null) {
        removeNetwork(networkId);
      }
    } catch (RuntimeException e) {
      log.warn("could not remove a half-started egress proxy: {}", e.toString());
    }
  }

  private static Map<String, String> labels(
      String loopId, int iteration, String step, String runId, String kind) {
    Map<String, String> labels =
        new LinkedHashMap<>(SandboxLabels.forStep(loopId, iteration, step));
    labels.put(SandboxLabels.RUN_ID, runId);
    labels.put(SandboxLabels.KIND, kind);
    return labels;
  }

  static List<String> labelFilter(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private static List<String> gateways(Network network) {
    List<String> gateways = new ArrayList<>();
    if (network.getIpam() != null && network.getIpam().getConfig() != null) {
      for (Network.Ipam.Config config : network.getIpam().getConfig()) {
        if (config.getGateway() != null && !config.getGateway().isBlank()) {
          gateways.add(config.getGateway());
        }
      }
    }
    return gateways;
  }

  private static List<String> subnets(Network network) {
    List<String> subnets = new ArrayList<>();
    if (network.getIpam() != null && network.getIpam().getConfig() != null) {
      for (Network.Ipam.Config config : network.getIpam().getConfig()) {
        if (config.getSubnet() != null && !config.getSubnet().isBlank()) {
          subnets.add(config.getSubnet());
        }
      }
    }
    if (subnets.isEmpty()) {
      throw new EgressProxyException("network " + network.getName() + " has no subnet");
    }
    return subnets;
  }
}
