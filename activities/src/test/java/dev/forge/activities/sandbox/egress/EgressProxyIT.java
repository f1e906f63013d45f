package dev.forge.activities.sandbox.egress;

import static dev.forge.activities.sandbox.egress.EgressTestNetworks.UPSTREAM_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import dev.forge.activities.sandbox.DockerClients;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.activities.sandbox.egress.EgressTestNetworks.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The egress proxy against the real engine, from a client container that is set up the way a
 * sandbox is ({@link EgressLease#isolate}). One proxy serves all tests that only send requests.
 *
 * <p>The tests make their own world: an egress network in 198.51.100.0/24 (TEST-NET-2, not private,
 * so that the proxy may connect there) with test upstreams on it, reached by names Docker's DNS
 * gives them; a second network in 10.213.x.0/24 (private); and a server socket on the worker, bound
 * to every address, that stands in for the Forge API. No request ever leaves these networks and the
 * host.
 */
class EgressProxyIT {

  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

  /** bash helpers the client scripts use; P is the proxy's address. */
  private static final String HELPERS =
      """
set -u
check() { # check NAME RAW-REQUEST: prints NAME=<status line>, NAME.body=ok if the page came
  local out
  if ! exec 3<>"/dev/tcp/$P/3128"; then echo "$1=NOCONNECT"; return; fi
  printf '%b' "$2" >&3
  out="$(timeout 5 cat <&3 | tr -d '\\r')"
  exec 3<&- 3>&-
  echo "$1=$(printf '%s\\n' "$out" | head -n 1)"
  if grep -qF 'forge-test-upstream ok' <<<"$out"; then echo "$1.body=ok"; fi
}
connect() { check "$1" "CONNECT $2 HTTP/1.1\\r\\nHost: $2\\r\\nConnection: close\\r\\n\\r\\nGET / HTTP/1.0\\r\\nHost: upstream\\r\\n\\r\\n"; }
get() { check "$1" "GET $2 HTTP/1.1\\r\\nHost: $3\\r\\nConnection: close\\r\\n\\r\\n"; }
direct() { # direct NAME HOST PORT: can this container open a TCP connection itself?
  if timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; then echo "$1=open"; else echo "$1=refused"; fi
}
""";

  private static DockerClient docker;
  private static EgressTestNetworks world;
  private static EgressProxies proxies;
  private static EgressLease lease;
  private static long startMillis;
  private static Network egress;
  private static Network privateNet;
  private static String upstreamIp;
  private static String privateUpstreamIp;
  private static String decoyIp;
  private static String workerAddress;
  private static ServerSocket forgeApi;
  private static final List<InetAddress> apiPeers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    docker = DockerClients.connect(null);
    world = new EgressTestNetworks(docker);
    forgeApi = new ServerSocket();
    forgeApi.bind(new InetSocketAddress("0.0.0.0", 0));
    Thread acceptor =
        new Thread(
            () -> {
              while (!forgeApi.isClosed()) {
                try (Socket socket = forgeApi.accept()) {
                  apiPeers.add(socket.getInetAddress());
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "forge-api-stand-in");
    acceptor.setDaemon(true);
    acceptor.start();

    egress = world.network("egress", "198.51.100", false);
    privateNet = world.network("private", "10.213." + (int) (Math.random() * 250), true);
    String upstream =
        world.upstream(
            "upstream",
            egress,
            "upstream.forge.test",
            "a.wild.forge.test",
            "wild.forge.test",
            "mixed.forge.test");
    world.connect(upstream, privateNet, "private.forge.test");
    // Stands for a host the proxy must refuse (settings.deniedAddresses), reached by name.
    String decoy = world.upstream("decoy", egress, "api.forge.test", "mixed.forge.test");
    upstreamIp = world.ipOn(upstream, egress);
    privateUpstreamIp = world.ipOn(upstream, privateNet);
    decoyIp = world.ipOn(decoy, egress);
    // Preferably one the fixed private ranges do not already refuse.
    List<Cidr> refused = SquidConfig.REFUSED_RANGES.stream().map(Cidr::parse).toList();
    List<String> ipv4 =
        EgressProxies.workerAddresses().stream()
            .filter(a -> a.indexOf(':') < 0 && !a.equals(gateway(egress)))
            .toList();
    workerAddress =
        ipv4.stream()
            .filter(a -> refused.stream().noneMatch(r -> r.contains(Cidr.parse(a).network())))
            .findFirst()
            .orElse(ipv4.get(0));

    proxies = new EgressProxies(docker, settings());
    long begin = System.nanoTime();
    lease =
        proxies.start(
            "it-egress-" + world.id(),
            1,
            "agent",
            "run-" + world.id(),
            List.of(
                "upstream.forge.test:" + UPSTREAM_PORT,
                "*.wild.forge.test:" + UPSTREAM_PORT,
                upstreamIp + ":" + UPSTREAM_PORT,
                "127.0.0.1:3128",
                "169.254.169.254:80",
                gateway(egress) + ":" + forgeApi.getLocalPort(),
                workerAddress + ":" + forgeApi.getLocalPort(),
                "api.forge.test:" + UPSTREAM_PORT,
                "mixed.forge.test:" + UPSTREAM_PORT,
                "private.forge.test:" + UPSTREAM_PORT,
                privateUpstreamIp + ":" + UPSTREAM_PORT));
    startMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
    System.out.println("egress proxy lease started in " + startMillis + " ms: " + lease);
    // Only so that the proxy can resolve private.forge.test (Docker's DNS answers container names
    // of the networks the asking container is on).
    world.connect(lease.proxyContainerId(), privateNet);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (lease != null) {
        proxies.stop(lease);
      }
    } finally {
      if (world != null) {
        world.close();
      }
      if (forgeApi != null) {
        forgeApi.close();
      }
      if (docker != null) {
        docker.close();
      }
    }
  }

  private static EgressSettings settings() {
    return EgressSettings.defaults()
        .withProxyImage(EgressTestNetworks.PROXY_IMAGE)
        .withEgressNetwork(egress.getName())
        .withDeniedAddresses(List.of(decoyIp));
  }

  private static String gateway(Network network) {
    return network.getIpam().getConfig().get(0).getGateway();
  }

  /** Runs a script in a client container set up like a sandbox. */
  private static Run sandbox(String script) throws InterruptedException {
    List<String> env = new ArrayList<>(lease.proxyEnvironment());
    env.add("P=" + lease.proxyIp());
    Run run =
        world.client(
            lease.isolate(HostConfig.newHostConfig()), env, HELPERS + script, CLIENT_TIMEOUT);
    System.out.println(run.output());
    return run;
  }

  private static List<String> lines(Run run) {
    return run.output().lines().toList();
  }

  private static List<EgressDecision> awaitDecisions(Predicate<List<EgressDecision>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<EgressDecision> decisions = proxies.decisions(lease);
    while (!done.test(decisions) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      decisions = proxies.decisions(lease);
    }
    return decisions;
  }

  @Test
  void shouldStartQuicklyAndHardened() throws Exception {
    assertThat(startMillis).isLessThan(15_000);
    InspectContainerResponse proxy = docker.inspectContainerCmd(lease.proxyContainerId()).exec();
    HostConfig host = proxy.getHostConfig();
    assertThat(proxy.getConfig().getUser()).isEqualTo("13:13");
    assertThat(host.getReadonlyRootfs()).isTrue();
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd()).isNullOrEmpty();
    assertThat(host.getSecurityOpts()).contains("no-new-privileges");
    assertThat(host.getPrivileged()).isFalse();
    assertThat(host.getMemory()).isEqualTo(EgressSettings.DEFAULT_MEMORY_BYTES);
    assertThat(host.getMemorySwap()).isEqualTo(EgressSettings.DEFAULT_MEMORY_BYTES);
    assertThat(host.getPidsLimit()).isEqualTo(EgressSettings.DEFAULT_PIDS);
    assertThat(host.getTmpFs())
        .containsKeys("/var/run/squid", "/var/spool/squid", "/var/log/squid");
    assertThat(host.getLogConfig().getConfig()).containsEntry("max-size", "8m");
    assertThat(proxy.getConfig().getLabels())
        .containsEntry(SandboxLabels.OWNER, "forge")
        .containsEntry(SandboxLabels.LOOP_ID, lease.loopId())
        .containsEntry(SandboxLabels.ITERATION, "1")
        .containsEntry(SandboxLabels.RUN_ID, lease.runId())
        .containsEntry(SandboxLabels.KIND, SandboxLabels.KIND_EGRESS_PROXY);
    String[][] processes =
        docker
            .topContainerCmd(lease.proxyContainerId())
            .withPsArgs("-o pid,uid,comm")
            .exec()
            .getProcesses();
    assertThat(processes).isNotEmpty();
    assertThat(java.util.Arrays.stream(processes).map(p -> p[1].strip())).containsOnly("13");

    Network internal = docker.inspectNetworkCmd().withNetworkId(lease.networkId()).exec();
    assertThat(internal.getInternal()).isTrue();
    assertThat(internal.getOptions()).containsEntry(EgressProxies.INHIBIT_IPV4, "true");
    assertThat(internal.getLabels())
        .containsEntry(SandboxLabels.LOOP_ID, lease.loopId())
        .containsEntry(SandboxLabels.RUN_ID, lease.runId())
        .containsEntry(SandboxLabels.KIND, SandboxLabels.KIND_SANDBOX_NETWORK);
  }

  @Test
  void shouldLetAllowlistedDestinationsThroughByConnectAndPlainHttp() throws Exception {
    Run run =
        sandbox(
            """
            connect name upstream.forge.test:8080
            get plain http://upstream.forge.test:8080/ upstream.forge.test:8080
            connect wildcard a.wild.forge.test:8080
            connect ip %s:8080
            """
                .formatted(upstreamIp));

    assertThat(lines(run))
        .contains(
            "name=HTTP/1.1 200 Connection established",
            "name.body=ok",
            "plain=HTTP/1.1 200 OK",
            "plain.body=ok",
            "wildcard=HTTP/1.1 200 Connection established",
            "wildcard.body=ok",
            "ip=HTTP/1.1 200 Connection established",
            "ip.body=ok");
  }

  @Test
  void shouldRefuseWhatTheAllowlistDoesNotHold() throws Exception {
    Run run =
        sandbox(
            """
            connect other_name other.forge.test:8080
            connect other_port upstream.forge.test:8081
            connect apex wild.forge.test:8080
            get plain_other http://other.forge.test:8080/ other.forge.test:8080
            get plain_other_port http://upstream.forge.test:8081/ upstream.forge.test:8081
            connect upper UPSTREAM.FORGE.TEST:8081
            """);

    assertThat(lines(run))
        .contains(
            "other_name=HTTP/1.1 403 Forbidden",
            "other_port=HTTP/1.1 403 Forbidden",
            "apex=HTTP/1.1 403 Forbidden",
            "plain_other=HTTP/1.1 403 Forbidden",
            "plain_other_port=HTTP/1.1 403 Forbidden",
            "upper=HTTP/1.1 403 Forbidden")
        .noneMatch(l -> l.endsWith(".body=ok"));
  }

  @Test
  void shouldRefuseLoopbackAndMetadataEvenWhenAllowlisted() throws Exception {
    Run run =
        sandbox(
            """
            connect loopback 127.0.0.1:3128
            connect loopback_decimal 2130706433:3128
            connect loopback_mapped '[::ffff:127.0.0.1]:3128'
            connect metadata 169.254.169.254:80
            get metadata_plain http://169.254.169.254/latest/meta-data/ 169.254.169.254
            connect ipv6_loopback '[::1]:3128'
            """);

    assertThat(lines(run))
        .contains(
            "loopback=HTTP/1.1 403 Forbidden",
            "loopback_decimal=HTTP/1.1 403 Forbidden",
            "loopback_mapped=HTTP/1.1 403 Forbidden",
            "metadata=HTTP/1.1 403 Forbidden",
            "metadata_plain=HTTP/1.1 403 Forbidden",
            "ipv6_loopback=HTTP/1.1 403 Forbidden");
  }

  @Test
  void shouldNeverReachTheDockerHost() throws Exception {
    int port = forgeApi.getLocalPort();
    String internalGateway =
        docker
            .inspectNetworkCmd()
            .withNetworkId(lease.networkId())
            .exec()
            .getIpam()
            .getConfig()
            .get(0)
            .getGateway();
    Run run =
        sandbox(
            """
            connect gateway %1$s:%2$d
            get gateway_plain http://%1$s:%2$d/ %1$s:%2$d
            connect worker %3$s:%2$d
            direct direct_egress_gateway %1$s %2$d &
            direct direct_internal_gateway %4$s %2$d &
            direct direct_worker %3$s %2$d &
            wait
            """
                .formatted(gateway(egress), port, workerAddress, internalGateway));

    assertThat(lines(run))
        .contains(
            "gateway=HTTP/1.1 403 Forbidden",
            "gateway_plain=HTTP/1.1 403 Forbidden",
            "worker=HTTP/1.1 403 Forbidden",
            "direct_egress_gateway=refused",
            "direct_internal_gateway=refused",
            "direct_worker=refused");
    Thread.sleep(200);
    String proxyOnEgress = world.ipOn(lease.proxyContainerId(), egress);
    assertThat(apiPeers)
        .as("connections the Forge API stand-in accepted from the proxy or the sandbox")
        .noneMatch(
            peer ->
                peer.getHostAddress().equals(proxyOnEgress)
                    || peer.getHostAddress().equals(lease.proxyIp())
                    || Cidr.parse(internalSubnet()).contains(peer));
  }

  private static String internalSubnet() {
    return docker
        .inspectNetworkCmd()
        .withNetworkId(lease.networkId())
        .exec()
        .getIpam()
        .getConfig()
        .get(0)
        .getSubnet();
  }

  @Test
  void shouldShowTheHostIsReachableWithoutTheProxy() throws Exception {
    // Control for shouldNeverReachTheDockerHost: a container on the egress network, no proxy.
    Run run =
        world.client(
            HostConfig.newHostConfig().withNetworkMode(egress.getName()),
            List.of(),
            HELPERS + "direct control %s %d\n".formatted(gateway(egress), forgeApi.getLocalPort()),
            CLIENT_TIMEOUT);

    assertThat(lines(run)).contains("control=open");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (apiPeers.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(apiPeers).isNotEmpty();
  }

  @Test
  void shouldRefuseNamesThatResolveToRefusedAddresses() throws Exception {
    Run run =
        sandbox(
            """
            connect private_name private.forge.test:8080
            connect private_ip %s:8080
            connect denied_name api.forge.test:8080
            for i in 1 2 3 4 5 6; do connect mixed_$i mixed.forge.test:8080; done
            connect control upstream.forge.test:8080
            """
                .formatted(privateUpstreamIp));
    // What the proxy's resolver (Docker's) answers for mixed.forge.test on the egress network.
    Run resolved =
        world.client(
            HostConfig.newHostConfig().withNetworkMode(egress.getName()),
            List.of(),
            "getent ahostsv4 mixed.forge.test | awk '{print \"mixed_address=\" $1}' | sort -u",
            CLIENT_TIMEOUT);

    assertThat(lines(resolved)).contains("mixed_address=" + upstreamIp, "mixed_address=" + decoyIp);

    assertThat(lines(run))
        .contains(
            "private_name=HTTP/1.1 403 Forbidden",
            "private_ip=HTTP/1.1 403 Forbidden",
            "denied_name=HTTP/1.1 403 Forbidden",
            // Resolves to the upstream and the decoy, in either order: one refused address
            // refuses the name.
            "mixed_1=HTTP/1.1 403 Forbidden",
            "mixed_2=HTTP/1.1 403 Forbidden",
            "mixed_3=HTTP/1.1 403 Forbidden",
            "mixed_4=HTTP/1.1 403 Forbidden",
            "mixed_5=HTTP/1.1 403 Forbidden",
            "mixed_6=HTTP/1.1 403 Forbidden",
            "control=HTTP/1.1 200 Connection established");
  }

  @Test
  void shouldKeepTheSandboxFromGoingAroundTheProxy() throws Exception {
    Run run =
        sandbox(
            """
            direct upstream %s 8080 &
            direct private_upstream %s 8080 &
            direct metadata 169.254.169.254 80 &
            direct proxy_other_port "$P" 8080 &
            direct proxy "$P" 3128 &
            wait
            """
                .formatted(upstreamIp, privateUpstreamIp));

    assertThat(lines(run))
        .contains(
            "upstream=refused",
            "private_upstream=refused",
            "metadata=refused",
            "proxy_other_port=refused",
            "proxy=open");
  }

  @Test
  void shouldGiveTheSandboxNoResolver() throws Exception {
    Run run =
        sandbox(
            """
sed 's/^/resolv: /' /etc/resolv.conf
start=$(date +%s%N)
if getent hosts upstream.forge.test; then echo dns_upstream=resolved; else echo dns_upstream=failed; fi
if getent hosts example-$RANDOM.forge.test; then echo dns_other=resolved; else echo dns_other=failed; fi
if getent hosts forge-it-upstream-"$ID"; then echo dns_container=resolved; else echo dns_container=failed; fi
echo "dns_millis=$(( ($(date +%s%N) - start) / 1000000 ))"
echo "proxy_env=$HTTPS_PROXY"
"""
                .replace("\"$ID\"", world.id()));

    List<String> lines = lines(run);
    assertThat(lines)
        .contains(
            "resolv: nameserver 127.0.0.11",
            "dns_upstream=failed",
            "dns_other=failed",
            "dns_container=failed",
            "proxy_env=" + lease.proxyUrl())
        .anyMatch(
            l ->
                l.startsWith("resolv: options")
                    && l.contains("timeout:1")
                    && l.contains("attempts:1"))
        .noneMatch(l -> l.startsWith("resolv: search"));
    long millis =
        Long.parseLong(
            lines.stream()
                .filter(l -> l.startsWith("dns_millis="))
                .findFirst()
                .orElseThrow()
                .substring(11));
    assertThat(millis).as("three failed lookups").isLessThan(15_000);
  }

  @Test
  void shouldRefuseClientsOutsideTheInternalNetworkAndTheCacheManager() throws Exception {
    String proxyOnEgress = world.ipOn(lease.proxyContainerId(), egress);
    Run neighbour =
        world.client(
            HostConfig.newHostConfig().withNetworkMode(egress.getName()),
            List.of("P=" + proxyOnEgress),
            HELPERS + "connect neighbour upstream.forge.test:8080\n",
            CLIENT_TIMEOUT);
    Run run =
        sandbox(
            """
check manager 'GET cache_object://localhost/info HTTP/1.0\\r\\n\\r\\n'
get manager_internal http://upstream.forge.test:8080/squid-internal-mgr/info upstream.forge.test:8080
get manager_direct "http://$P:3128/squid-internal-mgr/info" "$P:3128"
""");

    assertThat(lines(neighbour)).contains("neighbour=HTTP/1.1 403 Forbidden");
    assertThat(lines(run))
        .contains(
            "manager=HTTP/1.1 403 Forbidden",
            "manager_internal=HTTP/1.1 403 Forbidden",
            "manager_direct=HTTP/1.1 403 Forbidden");
  }

  @Test
  void shouldReportEveryDecision() throws Exception {
    String unknown = "unknown-" + world.id() + ".forge.test:8080";
    sandbox(
        """
        connect allowed upstream.forge.test:8080
        connect denied %s
        get plain http://upstream.forge.test:8080/decisions upstream.forge.test:8080
        """
            .formatted(unknown));

    List<EgressDecision> decisions =
        awaitDecisions(
            all ->
                all.stream().anyMatch(d -> d.destination().equals(unknown))
                    && all.stream().anyMatch(d -> d.method().equals("CONNECT") && d.allowed()));

    assertThat(decisions)
        .anySatisfy(
            d -> {
              assertThat(d.method()).isEqualTo("CONNECT");
              assertThat(d.destination()).isEqualTo("upstream.forge.test:8080");
              assertThat(d.allowed()).isTrue();
              assertThat(d.resultCode()).isEqualTo("TCP_TUNNEL");
              assertThat(d.httpStatus()).isEqualTo(200);
              assertThat(d.serverIp()).isEqualTo(upstreamIp);
            })
        .anySatisfy(
            d -> {
              assertThat(d.method()).isEqualTo("CONNECT");
              assertThat(d.destination()).isEqualTo(unknown);
              assertThat(d.allowed()).isFalse();
              assertThat(d.resultCode()).isEqualTo("TCP_DENIED");
              assertThat(d.httpStatus()).isEqualTo(403);
              assertThat(d.serverIp()).isNull();
            })
        .anySatisfy(
            d -> {
              assertThat(d.method()).isEqualTo("GET");
              assertThat(d.destination()).isEqualTo("upstream.forge.test:8080");
              assertThat(d.allowed()).isTrue();
              assertThat(d.httpStatus()).isEqualTo(404);
            })
        .allSatisfy(d -> assertThat(d.timestamp()).isNotNull());
  }

  @Test
  void shouldLeaveNothingBehindOnStopAndRemoveLeftovers() throws Exception {
    String loopId = "it-egress-stop-" + world.id();
    EgressProxies own = new EgressProxies(docker, settings());
    long begin = System.nanoTime();
    EgressLease first =
        own.start(loopId, 2, "check-1", "run-a", List.of("upstream.forge.test:8080"));
    System.out.println(
        "second lease started in "
            + Duration.ofNanos(System.nanoTime() - begin).toMillis()
            + " ms");
    own.stop(first);
    own.stop(first); // twice is fine
    assertGone(first);

    // An attempt that crashed: its proxy still runs and a "sandbox" is still attached.
    EgressLease crashed = own.start(loopId, 2, "check-1", "run-b", List.of());
    String sleeper =
        docker
            .createContainerCmd(EgressTestNetworks.SANDBOX_IMAGE)
            .withLabels(Map.of(EgressTestNetworks.TEST_LABEL, world.id()))
            .withEntrypoint("sleep", "600")
            .withHostConfig(crashed.isolate(HostConfig.newHostConfig()))
            .exec()
            .getId();
    try {
      docker.startContainerCmd(sleeper).exec();
      EgressLease retry = own.start(loopId, 2, "check-1", "run-c", List.of());
      assertGone(crashed);
      assertThat(own.removeLeftovers(loopId, 2, "check-1")).isEqualTo(2);
      assertGone(retry);
      assertThat(own.removeLeftovers(loopId, 2, "check-1")).isZero();
    } finally {
      world.remove(sleeper);
    }
    assertThat(
            docker
                .listNetworksCmd()
                .withFilter("label", List.of(SandboxLabels.LOOP_ID + "=" + loopId))
                .exec())
        .isEmpty();
    assertThat(
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.LOOP_ID, loopId))
                .exec())
        .isEmpty();
  }

  @Test
  void shouldCleanUpWhenTheProxyDoesNotComeUp() throws Exception {
    String loopId = "it-egress-broken-" + world.id();
    // The sandbox image has no Squid: its container ends at once.
    EgressProxies broken =
        new EgressProxies(docker, settings().withProxyImage(EgressTestNetworks.SANDBOX_IMAGE));

    assertThatThrownBy(() -> broken.start(loopId, 1, "agent", "run-x", List.of("a.example:443")))
        .isInstanceOf(EgressProxyException.class)
        .hasMessageContaining("before accepting connections");
    assertThat(
            docker
                .listNetworksCmd()
                .withFilter("label", List.of(SandboxLabels.LOOP_ID + "=" + loopId))
                .exec())
        .isEmpty();
    assertThat(
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.LOOP_ID, loopId))
                .exec())
        .isEmpty();
  }

  @Test
  void shouldRefuseAMalformedAllowlistBeforeCreatingAnything() {
    String loopId = "it-egress-invalid-" + world.id();

    assertThatThrownBy(
            () ->
                proxies.start(
                    loopId, 1, "agent", "run-y", List.of("a.example:443\nhttp_access allow all")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            docker
                .listNetworksCmd()
                .withFilter("label", List.of(SandboxLabels.LOOP_ID + "=" + loopId))
                .exec())
        .isEmpty();
  }

  private static void assertGone(EgressLease lease) {
    assertThatThrownBy(() -> docker.inspectContainerCmd(lease.proxyContainerId()).exec())
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> docker.inspectNetworkCmd().withNetworkId(lease.networkId()).exec())
        .isInstanceOf(NotFoundException.class);
  }
}
