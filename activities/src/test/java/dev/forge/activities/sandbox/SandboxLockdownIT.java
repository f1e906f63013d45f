package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.IMAGE;
import static dev.forge.activities.sandbox.SandboxFixtures.limits;
import static dev.forge.activities.sandbox.SandboxFixtures.loopId;
import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static dev.forge.activities.sandbox.SandboxFixtures.withMounts;
import static dev.forge.activities.sandbox.SandboxFixtures.withRuntime;
import static dev.forge.activities.sandbox.SandboxFixtures.withSandbox;
import static dev.forge.activities.sandbox.SandboxFixtures.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.sandbox.docker.DockerObjects;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.spec.sandbox.SandboxMount;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the sandbox from inside it, against the real Docker engine: each must fail. The
 * network attacks of restricted mode live in the egress tests; the git-metadata attacks in
 * CheckpointIgnoresPlantedGitConfigIT.
 */
class SandboxLockdownIT {

  /** Set by failsafe in the worker JVM's environment; no step ever declares it. */
  static final String HOST_SECRET_VARIABLE = "FORGE_IT_HOST_SECRET";

  private static DockerClient docker;
  private InMemoryAuditLog audit;
  private Path workspace;

  @BeforeAll
  static void connect() {
    docker = DockerClients.connect(null);
    assertThat(docker.inspectImageCmd(IMAGE).exec().getId()).isNotBlank();
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @BeforeEach
  void setUp() {
    audit = new InMemoryAuditLog();
    workspace = workspace();
  }

  @AfterEach
  void deleteWorkspace() {
    SandboxFixtures.delete(workspace);
  }

  /** The activity as production builds it: host variables come from the real environment. */
  private DockerSandboxActivities activities() {
    return new DockerSandboxActivities(docker, DockerSandboxIT.settings(), audit, System::getenv,
        TestStepPolicy.NONE);
  }

  private SandboxResult run(String script) {
    return activities().run(step(loopId("attack"), workspace, List.of("bash", "-c", script)));
  }

  private List<Container> containersOf(String loopId) {
    return docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(SandboxLabels.LOOP_ID, loopId)).exec();
  }

  // ------------------------------------------------------------------ limits

  @Test
  void aForkBombIsStoppedAtThePidsLimit() {
    String loopId = loopId("forkbomb");
    SandboxStep step = step(loopId, workspace, List.of("bash", "-c", ":(){ :|:& };:; sleep 600"),
        limits(256L << 20, 60, 64 << 10), Map.of(), null, null);

    long started = System.nanoTime();
    SandboxResult result = activities().run(step);

    assertThat(result.outcome()).isEqualTo(SandboxOutcome.PIDS_EXHAUSTED);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
        .as("stopped at the limit, not at the 60 s timeout").isLessThan(20);
    assertThat(containersOf(loopId)).isEmpty();
    assertThat(audit.all().get(0).detail()).containsEntry("outcome", "PIDS_EXHAUSTED");
  }

  @Test
  void aBusySpinIsKilledAtTheWallClockLimit() {
    SandboxStep step = step(loopId("spin"), workspace, List.of("bash", "-c", "while :; do :; done"),
        limits(256L << 20, 5, 64 << 10), Map.of(), null, null);

    SandboxResult result = activities().run(step);

    assertThat(result.outcome()).isEqualTo(SandboxOutcome.TIMED_OUT);
    assertThat(result.durationMillis()).isBetween(4_900L, 8_000L);
  }

  // ------------------------------------------------------------------ the container itself

  @Test
  void theStepSeesNoDockerSocketAndNoHostDevices() {
    SandboxResult result = run("ls -A /dev; for s in /var/run/docker.sock /run/docker.sock; do"
        + " test -e $s && echo FOUND $s; done; find / -xdev -type s -name '*.sock' 2>/dev/null"
        + " | sed 's/^/SOCKET /'; true");

    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail()).doesNotContain("FOUND").doesNotContain("SOCKET")
        .doesNotContain("sda").doesNotContain("vda").doesNotContain("kmsg").doesNotContain("mem\n");
  }

  @Test
  void rawSocketsNamespacesMountsAndChrootAreRefused() throws Exception {
    Path program = compileEscapeAttempts();

    SandboxResult result = run("/workspace/" + program.getFileName());

    assertThat(result.outputTail()).doesNotContain("ALLOWED")
        .contains("raw-ip-socket Operation not permitted")
        .contains("packet-socket Operation not permitted")
        .contains("user-namespace Operation not permitted")
        .contains("mount-namespace Operation not permitted")
        .contains("chroot Operation not permitted");
    assertThat(result.exitCode()).isZero();
  }

  private Path compileEscapeAttempts() throws IOException, InterruptedException {
    Path source = workspace.resolve("escape-attempts.c");
    try (InputStream in = getClass().getResourceAsStream("escape-attempts.c")) {
      Files.write(source, in.readAllBytes());
    }
    Path binary = workspace.resolve("escape-attempts");
    Process gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", binary.toString(),
        source.toString()).redirectErrorStream(true).start();
    String log = new String(gcc.getInputStream().readAllBytes());
    assertThat(gcc.waitFor()).as("gcc: %s", log).isZero();
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    return binary;
  }

  @Test
  void theStepSeesOnlyTheVariablesItsConfigDeclares() {
    String secret = System.getenv(HOST_SECRET_VARIABLE);
    assertThat(secret).as("failsafe sets %s", HOST_SECRET_VARIABLE).isNotBlank();

    SandboxResult result = run("env; cat /proc/1/environ | tr '\\0' '\\n'");

    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail()).doesNotContain(secret).doesNotContain(HOST_SECRET_VARIABLE)
        .doesNotContain("JAVA_HOME").doesNotContain("MAVEN");
  }

  // ------------------------------------------------------------------ egress in mode none

  @Test
  void directTcpAndDnsEgressFailWithoutANetwork() {
    SandboxResult result = run(
        "exec 3<>/dev/tcp/192.0.2.1/80 && echo TCP-OPEN; getent ahosts localhost.forge.invalid"
            + " && echo DNS-ANSWERED; cat /proc/net/route; true");

    assertThat(result.outputTail()).doesNotContain("TCP-OPEN").doesNotContain("DNS-ANSWERED")
        .contains("Network is unreachable");
  }

  // ------------------------------------------------------------------ mounts

  @Test
  void aReadOnlyMountCannotBeWrittenAndAReadWriteMountLandsInTheWorkTree() throws Exception {
    Files.createDirectories(workspace.resolve("tests"));
    Files.writeString(workspace.resolve("tests/run.sh"), "exit 0\n");
    Files.createDirectories(workspace.resolve("cache"));
    SandboxFixtures.chownToSandboxUser(workspace.resolve("tests"));
    SandboxFixtures.chownToSandboxUser(workspace.resolve("tests/run.sh"));
    SandboxFixtures.chownToSandboxUser(workspace.resolve("cache"));
    SandboxStep step = withMounts(
        step(loopId("mounts"), workspace, List.of("bash", "-c",
            "echo 'exit 1' > /workspace/tests/run.sh; echo rc=$?; rm /workspace/tests/run.sh;"
                + " cat /workspace/tests/run.sh; echo cached > /cache/hit; ls /cache")),
        List.of(new SandboxMount("tests", "/workspace/tests", true),
            new SandboxMount("cache", "/cache", false)));

    SandboxResult result = activities().run(step);

    assertThat(result.outputTail()).contains("Read-only file system").contains("exit 0")
        .contains("hit");
    assertThat(workspace.resolve("tests/run.sh")).hasContent("exit 0");
    assertThat(workspace.resolve("cache/hit")).hasContent("cached");
  }

  @Test
  void aMountThroughASymlinkOutOfTheWorkTreeIsRefusedBeforeAnythingRuns() throws Exception {
    Files.createSymbolicLink(workspace.resolve("escape"), Path.of("/etc"));
    String loopId = loopId("symlink");
    SandboxStep step = withMounts(step(loopId, workspace, List.of("cat", "/data/shadow")),
        List.of(new SandboxMount("escape", "/data", true)));

    assertThatThrownBy(() -> activities().run(step))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("not inside the work tree")
        .extracting(e -> ((ApplicationFailure) e).getType())
        .isEqualTo(SandboxFailures.POLICY_VIOLATION);
    assertThat(containersOf(loopId)).isEmpty();
  }

  @Test
  void mountsOfDotDotTheGitMetadataAndKernelPathsAreRefused() throws Exception {
    Files.createDirectories(workspace.resolve("src"));
    Files.writeString(workspace.resolve(".git"), "gitdir: /nowhere\n");
    List<List<SandboxMount>> refused = List.of(
        List.of(new SandboxMount("../", "/up", true)),
        List.of(new SandboxMount("/etc", "/etc-copy", true)),
        List.of(new SandboxMount(".git", "/git", false)),
        List.of(new SandboxMount("src", "/proc/forge", false)),
        List.of(new SandboxMount("src", "/workspace/.git/hooks", false)),
        List.of(new SandboxMount("src", "/a", true), new SandboxMount("src", "/a", false)));

    for (List<SandboxMount> mounts : refused) {
      SandboxStep step = withMounts(step(loopId("refused"), workspace, List.of("true")), mounts);
      assertThatThrownBy(() -> activities().run(step)).as("%s", mounts)
          .isInstanceOf(ApplicationFailure.class)
          .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue());
    }
  }

  // ------------------------------------------------------------------ runtime and preflight

  @Test
  void aRuntimeDockerDoesNotKnowIsRefusedNamingTheKnownOnes() {
    SandboxStep step = withRuntime(step(loopId("runtime"), workspace, List.of("true")), "runsc-missing");

    assertThatThrownBy(() -> activities().run(step))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("runsc-missing is not configured in Docker")
        .hasMessageContaining("runc");
  }

  @Test
  void everyStepRecordsItsPreflightEvidence() {
    SandboxResult result = run("echo hello");

    StoredAuditEntry entry = audit.all().get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> preflight = (Map<String, Object>) entry.detail().get("preflight");
    assertThat(result.outputTail()).as("the evidence line is not the step's output").isEqualTo("hello\n");
    assertThat(preflight).containsEntry("passed", true).containsEntry("uid", 1000)
        .containsEntry("capEff", "0000000000000000").containsEntry("noNewPrivs", "1")
        .containsEntry("seccomp", "2").containsEntry("rootReadOnly", true)
        .containsEntry("defaultRoute", false).containsEntry("interfaces", List.of("lo"));
  }

  /**
   * Forge cannot be made to create an insecure container, so the script is run here in one made
   * insecure on purpose (root, all default capabilities, writable root, seccomp off): it must
   * refuse, and the command behind it must not run.
   */
  @Test
  void thePreflightRefusesAnInsecureContainerAndTheCommandNeverRuns() throws Exception {
    SandboxStep step = step(loopId("insecure"), workspace,
        List.of("touch", "/workspace/canary"));
    String id = docker.createContainerCmd(IMAGE)
        .withUser("0:0")
        .withEntrypoint(Preflight.entrypoint(step, null))
        .withCmd(List.of())
        .withLabels(Map.of(SandboxLabels.OWNER, SandboxLabels.OWNER_VALUE,
            SandboxLabels.LOOP_ID, step.loopId()))
        .withHostConfig(HostConfig.newHostConfig()
            .withNetworkMode("none")
            .withSecurityOpts(List.of("seccomp=unconfined"))
            .withBinds(com.github.dockerjava.api.model.Bind.parse(workspace + ":/workspace")))
        .exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      int exit = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
      String log = ContainerLogs.read(docker, id);

      Preflight.Evidence evidence = Preflight.Evidence.parse(log.lines().findFirst().orElse(""));
      assertThat(exit).isEqualTo(Preflight.FAILED_EXIT);
      assertThat(evidence.passed()).isFalse();
      assertThat(evidence.failed()).anyMatch(f -> f.startsWith("runs as root"))
          .anyMatch(f -> f.startsWith("effective capabilities are not empty"))
          .anyMatch(f -> f.startsWith("no_new_privs is not set"))
          .anyMatch(f -> f.startsWith("seccomp filtering is off"))
          .anyMatch(f -> f.startsWith("the root file system is mounted read-write"));
      assertThat(workspace.resolve("canary")).doesNotExist();
    } finally {
      SandboxContainers.destroy(docker, id);
    }
  }

  /**
   * Docker gives a container on an internal network a default route through a gateway address the
   * host holds, unless the bridge inhibits it as Forge's sandbox networks do. The preflight must
   * notice a host there, however the proxy probes go.
   */
  @Test
  void thePreflightRefusesARestrictedNetworkWhoseGatewayAnswers() throws Exception {
    SandboxStep step = withSandbox(step(loopId("gateway"), workspace, List.of("touch", "/workspace/canary")),
        new SandboxConfig(IMAGE, NetworkMode.RESTRICTED, limits(), Map.of(),
            List.of("upstream.forge.test:80"), List.of(), null));
    String network = docker.createNetworkCmd().withName("forge-it-leaky-" + step.loopId())
        .withInternal(true).withLabels(Map.of(SandboxLabels.OWNER, SandboxLabels.OWNER_VALUE,
            SandboxLabels.LOOP_ID, step.loopId())).exec().getId();
    String id = null;
    try {
      id = docker.createContainerCmd(IMAGE)
          .withUser("1000:1000")
          .withEntrypoint(Preflight.entrypoint(step, "127.0.0.1:1"))
          .withCmd(List.of())
          .withLabels(Map.of(SandboxLabels.OWNER, SandboxLabels.OWNER_VALUE,
              SandboxLabels.LOOP_ID, step.loopId()))
          .withHostConfig(HostConfig.newHostConfig()
              .withNetworkMode(network)
              .withReadonlyRootfs(true)
              .withTmpFs(Map.of("/tmp", "rw,size=1m"))
              .withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
              .withSecurityOpts(List.of("no-new-privileges"))
              .withBinds(com.github.dockerjava.api.model.Bind.parse(workspace + ":/workspace")))
          .exec().getId();
      docker.startContainerCmd(id).exec();
      int exit = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
      Preflight.Evidence evidence =
          Preflight.Evidence.parse(ContainerLogs.read(docker, id).lines().findFirst().orElse(""));

      assertThat(exit).isEqualTo(Preflight.FAILED_EXIT);
      assertThat(evidence.failed())
          .anyMatch(f -> f.startsWith("a host answers at the default gateway"))
          .anyMatch(f -> f.startsWith("a host (") && f.contains("holds the default gateway address"));
      assertThat(workspace.resolve("canary")).doesNotExist();
    } finally {
      if (id != null) {
        SandboxContainers.destroy(docker, id);
      }
      DockerObjects.removeNetwork(docker, network);
    }
  }

  @Test
  void aLimitsRecordFromAnOldHistoryStillRuns() {
    SandboxLimits old = new SandboxLimits(256L << 20, 1_000_000_000L, 128, 60, 16L << 20, 64 << 10, 0);
    SandboxResult result = activities().run(
        step(loopId("old"), workspace, List.of("true"), old, Map.of(), null, null));

    assertThat(result.succeeded()).isTrue();
  }
}
