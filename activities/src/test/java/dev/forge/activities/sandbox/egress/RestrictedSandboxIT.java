package dev.forge.activities.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.SandboxUser;
import dev.forge.activities.sandbox.DockerClients;
import dev.forge.activities.sandbox.DockerSandboxActivities;
import dev.forge.activities.sandbox.SandboxFailures;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.activities.sandbox.SandboxSettings;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox activity in network mode restricted, end to end against the real engine: the step's
 * container sits behind its own Squid proxy, passes its preflight (an allowlisted destination
 * reachable, a denied one refused), and then an agent tries every way out. Only the allowlisted
 * test upstream answers; every decision lands in the audit log with loop id and iteration.
 */
class RestrictedSandboxIT {

  private static final String UPSTREAM = "upstream.forge.test:" + EgressTestNetworks.UPSTREAM_PORT;

  private static DockerClient docker;
  private static EgressTestNetworks world;
  private static Network egress;
  private static String upstreamIp;
  private static ServerSocket forgeApi;
  private static final AtomicInteger apiConnections = new AtomicInteger();

  @TempDir Path workspace;

  @BeforeAll
  static void setUp() throws IOException {
    docker = DockerClients.connect(null);
    world = new EgressTestNetworks(docker);
    egress = world.network("restricted", "198.51.100", false);
    upstreamIp = world.ipOn(world.upstream("restricted-upstream", egress, "upstream.forge.test"),
        egress);
    // Stands in for the Forge API: listening on every address of the host.
    forgeApi = new ServerSocket();
    forgeApi.bind(new InetSocketAddress("0.0.0.0", 0));
    Thread acceptor = new Thread(() -> {
      while (!forgeApi.isClosed()) {
        try (Socket ignored = forgeApi.accept()) {
          apiConnections.incrementAndGet();
        } catch (IOException closed) {
          return;
        }
      }
    }, "forge-api-stand-in");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void tearDown() throws Exception {
    forgeApi.close();
    world.close();
    docker.close();
  }

  private DockerSandboxActivities activities(InMemoryAuditLog audit) {
    EgressProxies proxies = new EgressProxies(docker,
        EgressSettings.defaults().withEgressNetwork(egress.getName())
            .withProxyImage(EgressTestNetworks.PROXY_IMAGE));
    SandboxSettings settings = SandboxSettings.defaults(new SandboxUser(1000, 1000, true))
        .withHeartbeatInterval(Duration.ofMillis(200));
    return new DockerSandboxActivities(docker, settings, proxies, audit, name -> null,
        dev.forge.activities.sandbox.TestStepPolicy.NONE);
  }

  private SandboxStep step(String loopId, List<String> allowed, String script) throws IOException {
    Files.setAttribute(workspace, "unix:uid", 1000);
    SandboxLimits limits =
        new SandboxLimits(256L << 20, 1_000_000_000L, 128, 120, 16L << 20, 256 << 10, 0);
    SandboxConfig sandbox = new SandboxConfig(EgressTestNetworks.SANDBOX_IMAGE,
        NetworkMode.RESTRICTED, limits, Map.of(), allowed, List.of(), null);
    return new SandboxStep(loopId, 3, "agent", workspace.toString(),
        List.of("bash", "-c", script), sandbox, null, null);
  }

  /** A bash function that asks the proxy for a tunnel and prints the status line's code. */
  private static final String ASK_PROXY = "ask() { p=${HTTP_PROXY#http://}; exec 3<>/dev/tcp/${p%:*}/${p##*:}"
      + " || { echo \"$1 no-proxy\"; return; }; printf 'CONNECT %s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n'"
      + " $1 $1 >&3; read -r -t 10 _ code _ <&3; echo \"$1 $code\"; exec 3>&-; }; ";

  @Test
  void onlyTheAllowlistedHostIsReachableAndEveryDecisionIsAudited() throws Exception {
    String loopId = "it-restricted-" + UUID.randomUUID().toString().substring(0, 8);
    String gateway = egress.getIpam().getConfig().get(0).getGateway();
    int apiPort = forgeApi.getLocalPort();
    String script = ASK_PROXY
        + "ask " + UPSTREAM + "; ask elsewhere.forge.test:8080; ask 127.0.0.1:" + apiPort + ";"
        + " ask 169.254.169.254:80; ask " + gateway + ":" + apiPort + ";"
        + " ask localhost:" + apiPort + ";"
        + " (exec 4<>/dev/tcp/" + upstreamIp + "/8080) 2>/dev/null && echo DIRECT-OPEN;"
        + " (exec 4<>/dev/tcp/" + gateway + "/" + apiPort + ") 2>/dev/null && echo HOST-OPEN;"
        + " getent ahosts upstream.forge.test && echo DNS-ANSWERED; echo DONE";
    InMemoryAuditLog audit = new InMemoryAuditLog();

    SandboxResult result = activities(audit).run(step(loopId, List.of(UPSTREAM), script));

    assertThat(result.outcome()).isEqualTo(SandboxOutcome.EXITED);
    assertThat(result.outputTail())
        .contains(UPSTREAM + " 200")
        .contains("elsewhere.forge.test:8080 403")
        .contains("127.0.0.1:" + apiPort + " 403")
        .contains("169.254.169.254:80 403")
        .contains(gateway + ":" + apiPort + " 403")
        .contains("localhost:" + apiPort + " 403")
        .doesNotContain("DIRECT-OPEN").doesNotContain("HOST-OPEN").doesNotContain("DNS-ANSWERED")
        .contains("DONE");
    assertThat(apiConnections.get()).as("connections that reached the Forge API stand-in").isZero();

    StoredAuditEntry command = audit.all().stream()
        .filter(e -> e.action().equals("sandbox.command")).findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> preflight = (Map<String, Object>) command.detail().get("preflight");
    assertThat(preflight).containsEntry("passed", true).containsEntry("network", "restricted")
        .containsEntry("allowedProbe", UPSTREAM).containsEntry("allowedStatus", "200")
        .containsEntry("deniedStatus", "403");
    assertThat((String) preflight.get("directEgress")).as("the gateway answers nothing")
        .startsWith("no answer from ");

    List<StoredAuditEntry> egressEntries =
        audit.all().stream().filter(e -> e.action().startsWith("egress.")).toList();
    assertThat(egressEntries).allSatisfy(e -> {
      assertThat(e.loopId()).isEqualTo(loopId);
      assertThat(e.iteration()).isEqualTo(3);
    });
    assertThat(egressEntries).filteredOn(e -> e.action().equals("egress.allowed"))
        .extracting(StoredAuditEntry::target).containsOnly(UPSTREAM).hasSize(2);
    assertThat(egressEntries).filteredOn(e -> e.action().equals("egress.denied"))
        .extracting(StoredAuditEntry::target)
        .contains("elsewhere.forge.test:8080", "127.0.0.1:" + apiPort, "169.254.169.254:80",
            gateway + ":" + apiPort, "localhost:" + apiPort);
    assertNothingLeft(loopId);
  }

  @Test
  void aStepWhoseAllowlistedHostIsUnreachableFailsItsPreflightAndNeverRuns() throws Exception {
    String loopId = "it-unreachable-" + UUID.randomUUID().toString().substring(0, 8);
    SandboxStep step = step(loopId, List.of("down.forge.test:8080"), "touch /workspace/canary");
    InMemoryAuditLog audit = new InMemoryAuditLog();

    assertThatThrownBy(() -> activities(audit).run(step))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("preflight")
        .hasMessageContaining("down.forge.test:8080 is not reachable through the proxy")
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo(SandboxFailures.PREFLIGHT_FAILED);
          assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue();
        });
    assertThat(workspace.resolve("canary")).doesNotExist();
    assertThat(audit.all()).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("sandbox.command");
      assertThat(e.detail()).containsEntry("errorType", SandboxFailures.PREFLIGHT_FAILED)
          .containsKey("preflight");
    });
    assertNothingLeft(loopId);
  }

  private static void assertNothingLeft(String loopId) {
    Map<String, String> labels = Map.of(SandboxLabels.LOOP_ID, loopId);
    assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec())
        .isEmpty();
    assertThat(docker.listNetworksCmd().exec())
        .noneMatch(n -> n.getLabels() != null && loopId.equals(n.getLabels().get(SandboxLabels.LOOP_ID)));
  }
}
