package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.IMAGE;
import static dev.forge.activities.sandbox.SandboxFixtures.limits;
import static dev.forge.activities.sandbox.SandboxFixtures.loopId;
import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static dev.forge.activities.sandbox.SandboxFixtures.withImage;
import static dev.forge.activities.sandbox.SandboxFixtures.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.SandboxUser;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox activity against the real Docker engine and the real sandbox image. Each test uses
 * its own loop id, so tests never see each other's containers.
 */
class DockerSandboxIT {

  private static DockerClient docker;
  private InMemoryAuditLog audit;
  private Path workspace;

  @BeforeAll
  static void connect() {
    docker = DockerClients.connect(null);
    assertThat(docker.inspectImageCmd(IMAGE).exec().getId())
        .as("sandbox image %s must exist (sandbox-images/build.sh)", IMAGE)
        .isNotBlank();
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

  private DockerSandboxActivities activities() {
    return activities(Map.of());
  }

  private DockerSandboxActivities activities(Map<String, String> hostEnv) {
    return new DockerSandboxActivities(docker, settings(), audit, hostEnv::get,
        TestStepPolicy.NONE);
  }

  static SandboxSettings settings() {
    return SandboxSettings.defaults(new SandboxUser(1000, 1000, true))
        .withHeartbeatInterval(Duration.ofMillis(200));
  }

  private SandboxResult run(List<String> command) {
    return activities().run(step(loopId("cmd"), workspace, command));
  }

  private static List<Container> containersOf(String loopId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(SandboxLabels.LOOP_ID, loopId))
        .exec();
  }

  private StoredAuditEntry onlyAuditEntry() {
    assertThat(audit.all()).hasSize(1);
    return audit.all().get(0);
  }

  // ---------------------------------------------------------------- isolation

  @Test
  void shouldRunAsTheUnprivilegedSandboxUser() {
    SandboxResult result = run(List.of("id", "-u"));

    assertThat(result.outcome()).isEqualTo(SandboxOutcome.EXITED);
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail().strip()).isEqualTo("1000");
  }

  @Test
  void shouldDropAllCapabilitiesAndEnforceNoNewPrivilegesAndSeccomp() {
    SandboxResult result =
        run(List.of("grep", "-E", "^(CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):", "/proc/self/status"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail())
        .contains("CapPrm:\t0000000000000000")
        .contains("CapEff:\t0000000000000000")
        .contains("CapBnd:\t0000000000000000")
        .containsPattern("NoNewPrivs:\\s+1")
        .containsPattern("Seccomp:\\s+2");
  }

  @Test
  void shouldRefuseWritesToTheRootFileSystem() {
    SandboxResult root = run(List.of("touch", "/forge-probe"));
    SandboxResult etc = run(List.of("touch", "/etc/forge-probe"));

    assertThat(root.exitCode()).isNotZero();
    assertThat(root.outputTail()).contains("Read-only file system");
    assertThat(etc.exitCode()).isNotZero();
    assertThat(etc.outputTail()).contains("Read-only file system");
  }

  @Test
  void shouldGiveAWritableSizeCappedTmp() {
    SandboxResult small = run(List.of("bash", "-c", "echo ok > /tmp/a && cat /tmp/a && echo $HOME"));
    SandboxResult overflow = run(List.of("bash", "-c", "head -c 32M /dev/zero > /tmp/big"));

    assertThat(small.exitCode()).isZero();
    assertThat(small.outputTail()).isEqualTo("ok\n/tmp\n");
    assertThat(overflow.exitCode()).isNotZero();
    assertThat(overflow.outputTail()).contains("No space left on device");
  }

  @Test
  void shouldWriteTheWorkspaceAndLeaveTheFileOnTheHost() throws Exception {
    SandboxResult result = run(List.of("bash", "-c", "echo hello > /workspace/out.txt"));

    Path written = workspace.resolve("out.txt");
    assertThat(result.exitCode()).isZero();
    assertThat(written).hasContent("hello");
    assertThat(Files.getAttribute(written, "unix:uid")).isEqualTo(1000);
  }

  @Test
  void shouldMountTheGitMetadataReadOnly() throws Exception {
    Path git = workspace.resolve(".git");
    Files.writeString(git, "gitdir: /somewhere/.git/worktrees/loop\n");
    SandboxFixtures.chownToSandboxUser(git);

    SandboxResult overwrite =
        run(List.of("bash", "-c", "echo 'gitdir: /tmp/evil' > /workspace/.git"));
    SandboxResult remove = run(List.of("rm", "-f", "/workspace/.git"));
    SandboxResult read = run(List.of("cat", "/workspace/.git"));
    SandboxResult sibling = run(List.of("touch", "/workspace/allowed"));

    assertThat(overwrite.exitCode()).isNotZero();
    assertThat(overwrite.outputTail()).contains("Read-only file system");
    assertThat(remove.exitCode()).isNotZero();
    assertThat(read.outputTail()).isEqualTo("gitdir: /somewhere/.git/worktrees/loop\n");
    assertThat(sibling.exitCode()).isZero();
    assertThat(git).hasContent("gitdir: /somewhere/.git/worktrees/loop");
  }

  @Test
  void shouldHaveNoNetworkInterfaceButLoopback() {
    SandboxResult result = run(List.of("ls", "/sys/class/net"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail().strip()).isEqualTo("lo");
  }

  @Test
  void shouldCreateTheContainerLockedDownAndLabelled() throws Exception {
    Path git = workspace.resolve(".git");
    Files.writeString(git, "gitdir: /somewhere\n");
    String loopId = loopId("inspect");
    SandboxStep step = step(loopId, workspace, List.of("sleep", "600"));
    CompletableFuture<SandboxResult> running =
        CompletableFuture.supplyAsync(() -> activities().run(step));

    String id = awaitCommandRunning(loopId, "sleep 600");
    InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
    docker.killContainerCmd(id).exec();
    SandboxResult result = running.get(30, TimeUnit.SECONDS);

    HostConfig host = inspected.getHostConfig();
    assertThat(host.getReadonlyRootfs()).isTrue();
    assertThat(host.getCapDrop()).extracting(Enum::name).containsExactly("ALL");
    assertThat(host.getCapAdd()).isNullOrEmpty();
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(host.getNetworkMode()).isEqualTo("none");
    assertThat(host.getMemory()).isEqualTo(256L << 20);
    assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
    assertThat(host.getPidsLimit()).isEqualTo(128L);
    assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
    assertThat(host.getPrivileged()).isFalse();
    assertThat(host.getDevices()).isNullOrEmpty();
    assertThat(host.getIpcMode()).isEqualTo("private");
    assertThat(host.getPidMode()).as("no host pid namespace").isNullOrEmpty();
    assertThat(host.getUtSMode()).as("no host uts namespace").isNullOrEmpty();
    assertThat(host.getUsernsMode()).as("no host user namespace override").isNullOrEmpty();
    assertThat(host.getLogConfig().getType().getType()).as("nothing logged to the host's disk").isEqualTo("none");
    assertThat(host.getTmpFs()).containsExactly(Map.entry("/tmp", "rw,nosuid,nodev,size=16777216"));
    assertThat(host.getBinds()).isNullOrEmpty();
    assertThat(inspected.getMounts())
        .extracting(m -> m.getSource() + " -> " + m.getDestination().getPath() + " rw=" + m.getRW())
        .containsExactlyInAnyOrder(
            workspace.toRealPath() + " -> /workspace rw=true",
            git.toRealPath() + " -> /workspace/.git rw=false");
    assertThat(inspected.getConfig().getUser()).isEqualTo("1000:1000");
    assertThat(inspected.getConfig().getWorkingDir()).isEqualTo("/workspace");
    List<String> entrypoint = List.of(inspected.getConfig().getEntrypoint());
    assertThat(entrypoint.subList(0, 2)).as("the preflight check comes first").containsExactly("/bin/bash", "-c");
    assertThat(entrypoint.subList(entrypoint.size() - 3, entrypoint.size()))
        .containsExactly("--", "sleep", "600");
    assertThat(host.getUlimits()).extracting(u -> u.getName() + "=" + u.getHardLong()).containsExactly("core=0");
    assertThat(host.getRuntime()).as("the engine's default runtime unless the config names one").isIn(null, "", "runc");
    assertThat(host.getMounts()).allSatisfy(m -> assertThat(m.getBindOptions().getPropagation())
        .isEqualTo(com.github.dockerjava.api.model.BindPropagation.R_PRIVATE));
    assertThat(inspected.getConfig().getEnv())
        .contains("HOME=/tmp", "FORGE_LOOP_ID=" + loopId, "FORGE_ITERATION=1");
    assertThat(inspected.getConfig().getLabels())
        .containsEntry("dev.forge.owner", "forge")
        .containsEntry("dev.forge.loop-id", loopId)
        .containsEntry("dev.forge.iteration", "1")
        .containsEntry("dev.forge.step", "agent")
        .containsEntry("dev.forge.run-id", ActivityContext.NO_RUN_ID);
    assertThat(inspected.getName()).isEqualTo("/forge-" + loopId + "-1-agent");
    assertThat(result.exitCode()).isEqualTo(137);
    assertThat(containersOf(loopId)).isEmpty();
  }

  /**
   * Waits until the loop's container runs the step's own command, that is until the preflight
   * check has passed, printed its evidence and exec'd the command. Killing the container any
   * earlier (as soon as Docker says "running") can cut the preflight off before its evidence.
   */
  private static String awaitCommandRunning(String loopId, String command)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (Container c : containersOf(loopId)) {
        if ("running".equals(c.getState()) && runs(c.getId(), command)) {
          return c.getId();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no container of loop " + loopId + " running " + command);
  }

  private static boolean runs(String containerId, String command) {
    try {
      String[][] processes = docker.topContainerCmd(containerId).exec().getProcesses();
      return processes != null
          && Arrays.stream(processes).anyMatch(p -> String.join(" ", p).endsWith(command));
    } catch (NotFoundException | ConflictException e) {
      return false; // gone or stopped between the listing and the question
    }
  }

  // ---------------------------------------------------------------- limits

  @Test
  void shouldKillAStepAtItsWallClockLimit() {
    String loopId = loopId("timeout");
    SandboxStep step =
        step(loopId, workspace, List.of("sleep", "600"), limits(256L << 20, 5, 65536), Map.of(), null, null);

    long started = System.nanoTime();
    SandboxResult result = activities().run(step);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(result.outcome()).isEqualTo(SandboxOutcome.TIMED_OUT);
    assertThat(result.exitCode()).isEqualTo(137);
    assertThat(result.durationMillis()).isBetween(4_900L, 7_000L);
    assertThat(elapsedMillis).isLessThan(7_000L);
    assertThat(containersOf(loopId)).isEmpty();
    assertThat(onlyAuditEntry().detail()).containsEntry("outcome", "TIMED_OUT");
  }

  @Test
  void shouldReportAnOutOfMemoryKill() {
    String loopId = loopId("oom");
    SandboxStep step =
        step(
            loopId,
            workspace,
            List.of("bash", "-c", "tail /dev/zero"),
            limits(64L << 20, 60, 65536),
            Map.of(),
            null,
            null);

    SandboxResult result = activities().run(step);

    assertThat(result.outcome()).isEqualTo(SandboxOutcome.OOM_KILLED);
    assertThat(result.exitCode()).isEqualTo(137);
    assertThat(result.succeeded()).isFalse();
    assertThat(containersOf(loopId)).isEmpty();
  }

  @Test
  void shouldStopAStepThatPrintsAGibibyteAtItsOutputLimitWithoutGrowingTheHeap() {
    // The failsafe JVM has a 256 MiB heap: keeping what this step streams would not fit.
    long outputLimit = 256L << 20;
    SandboxStep step =
        step(
            loopId("flood"),
            workspace,
            List.of("bash", "-c", "echo FIRST-LINE; yes forge-output | head -c 1G; echo LAST-LINE"),
            limits(256L << 20, 120, outputLimit),
            Map.of(),
            null,
            "never-printed");

    SandboxResult result = activities().run(step);

    Map<String, Object> detail = onlyAuditEntry().detail();
    assertThat(result.outcome()).isEqualTo(SandboxOutcome.OUTPUT_TRUNCATED);
    assertThat(result.exitCode()).isEqualTo(137);
    assertThat(result.outputTruncated()).isTrue();
    assertThat(result.outputTail()).contains("forge-output").doesNotContain("LAST-LINE");
    assertThat(result.outputTail().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(4096);
    assertThat((Long) detail.get("outputBytes")).isGreaterThan(outputLimit).isLessThan(1L << 30);
    assertThat(detail).containsEntry("outcome", "OUTPUT_TRUNCATED").containsEntry("outputTruncated", true);
    assertThat((String) detail.get("outputHead")).startsWith("FIRST-LINE\nforge-output\n");
    assertThat(Runtime.getRuntime().maxMemory()).isLessThan(outputLimit + (64L << 20));
  }

  @Test
  void shouldKeepHeadAndTailOfAStepThatPrintsMoreThanIsKeptButLessThanItsLimit() {
    SandboxStep step =
        step(
            loopId("verbose"),
            workspace,
            List.of("bash", "-c", "echo FIRST-LINE; yes forge-output | head -c 20M; echo; echo LAST-LINE"),
            limits(256L << 20, 120, 64L << 20),
            Map.of(),
            null,
            null);

    SandboxResult result = activities().run(step);

    Map<String, Object> detail = onlyAuditEntry().detail();
    long expectedBytes = "FIRST-LINE\n".length() + (20L << 20) + "\nLAST-LINE\n".length();
    assertThat(result.outcome()).isEqualTo(SandboxOutcome.EXITED);
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTruncated()).as("more than the 8 MiB kept in memory").isTrue();
    assertThat(result.outputTail()).endsWith("LAST-LINE\n");
    assertThat(detail).containsEntry("outputBytes", expectedBytes).containsEntry("outputTruncated", true);
    assertThat((String) detail.get("outputHead")).startsWith("FIRST-LINE\nforge-output\n");
    assertThat((String) detail.get("outputTail")).endsWith("LAST-LINE\n");
    assertThat(((String) detail.get("outputHead")).length() + ((String) detail.get("outputTail")).length())
        .isLessThanOrEqualTo(SandboxSettings.DEFAULT_AUDIT_OUTPUT_BYTES);
  }

  // ---------------------------------------------------------------- credentials and validation

  @Test
  void shouldPassACredentialInWithoutRecordingItsValue() {
    String secret = "sk-forge-it-" + UUID.randomUUID();
    SandboxStep step =
        step(
            loopId("secret"),
            workspace,
            List.of("printenv", "API_KEY"),
            limits(),
            Map.of("API_KEY", "FORGE_IT_HOST_KEY"),
            null,
            null);

    SandboxResult result = activities(Map.of("FORGE_IT_HOST_KEY", secret)).run(step);

    StoredAuditEntry entry = onlyAuditEntry();
    // printenv exits 0 only when the variable is set, and what it printed was exactly the secret.
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail()).isEqualTo(Redactor.MASK + "\n");
    assertThat(result.toString()).doesNotContain(secret);
    assertThat(entry.toString()).doesNotContain(secret).contains("API_KEY");
    assertThat(entry.detail()).containsEntry("envNames", List.of("API_KEY"));
  }

  @Test
  void shouldRejectAStepWhoseHostVariableIsNotSet() {
    String loopId = loopId("nokey");
    SandboxStep step =
        step(
            loopId,
            workspace,
            List.of("true"),
            limits(),
            Map.of("API_KEY", "FORGE_IT_UNSET_HOST_VARIABLE"),
            null,
            null);

    assertThatThrownBy(() -> activities(Map.of()).run(step))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("SandboxConfigError");
            })
        .hasMessageContaining("API_KEY")
        .hasMessageContaining("FORGE_IT_UNSET_HOST_VARIABLE");
    assertThat(containersOf(loopId)).isEmpty();
    assertThat(onlyAuditEntry().detail())
        .containsEntry("outcome", "REJECTED")
        .containsEntry("errorType", "SandboxConfigError");
  }

  @Test
  void shouldRejectAnImageThatIsNotThereWithoutPullingIt() {
    String missing = "forge/does-not-exist:0.0.1-" + UUID.randomUUID().toString().substring(0, 8);
    SandboxStep step = withImage(step(loopId("noimage"), workspace, List.of("true")), missing);

    assertThatThrownBy(() -> activities().run(step))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo("SandboxConfigError");
            })
        .hasMessageContaining(
            "image " + missing + " not found locally; build it with ./forge images");
    assertThatThrownBy(() -> docker.inspectImageCmd(missing).exec())
        .isInstanceOf(NotFoundException.class);
  }

  // ---------------------------------------------------------------- retries and cancellation

  @Test
  void shouldRemoveTheContainerOfAnEarlierAttemptBeforeRunningTheStep() {
    String loopId = loopId("retry");
    SandboxStep step = step(loopId, workspace, List.of("echo", "second attempt"));
    Map<String, String> labels = new HashMap<>(SandboxLabels.forContainer(step, "earlier-run"));
    // Same name as the new container: creating it would conflict unless the leftover goes first.
    String leftover =
        docker
            .createContainerCmd(IMAGE)
            .withName(SandboxLabels.containerName(step))
            .withLabels(labels)
            .withEntrypoint("sleep", "600")
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
            .exec()
            .getId();
    docker.startContainerCmd(leftover).exec();

    SandboxResult result = activities().run(step);

    assertThat(result.exitCode()).isZero();
    assertThat(result.outputTail()).isEqualTo("second attempt\n");
    assertThatThrownBy(() -> docker.inspectContainerCmd(leftover).exec())
        .isInstanceOf(NotFoundException.class);
    assertThat(containersOf(loopId)).isEmpty();
  }

  // ---------------------------------------------------------------- usage and promise

  @Test
  void shouldReadForgeUsageLinesFromARealRun() {
    String script =
        "echo working; "
            + "echo 'FORGE_USAGE {\"model\":\"m1\",\"input_tokens\":100,\"output_tokens\":20,\"cost_usd\":0.0123}'; "
            + "echo 'FORGE_USAGE {\"input_tokens\":1,\"cached_input_tokens\":7,\"cost_usd\":0.001}' >&1";
    SandboxStep step =
        step(
            loopId("usage"),
            workspace,
            List.of("bash", "-c", script),
            limits(),
            Map.of(),
            UsageFormat.FORGE_USAGE,
            null);

    SandboxResult result = activities().run(step);

    assertThat(result.usage())
        .isEqualTo(new Usage(101, 7, 0, 20, new BigDecimal("0.0133"), Usage.REPORTED, "m1"));
    assertThat(onlyAuditEntry().detail())
        .containsEntry("costUsd", "0.0133")
        .containsEntry("inputTokens", 101L)
        .containsEntry("costSource", "reported");
  }

  @Test
  void shouldSeeTheCompletionPromiseOnlyOnALineOfItsOwn() {
    SandboxStep seen =
        step(
            loopId("promise"),
            workspace,
            List.of("bash", "-c", "echo 'not LOOP_COMPLETE yet'; printf '  LOOP_COMPLETE \\r\\n'"),
            limits(),
            Map.of(),
            UsageFormat.FORGE_USAGE,
            "LOOP_COMPLETE");
    SandboxStep notSeen =
        step(
            loopId("promise"),
            workspace,
            List.of("bash", "-c", "echo 'LOOP_COMPLETE is what I will print later'; echo LOOP_COMPLETE >&2"),
            limits(),
            Map.of(),
            null,
            "LOOP_COMPLETE");

    assertThat(activities().run(seen).promiseSeen()).isTrue();
    assertThat(activities().run(notSeen).promiseSeen()).isFalse();
  }

  // ---------------------------------------------------------------- overhead

  @Test
  void shouldRunATrivialStepQuicklyAndCaptureEveryShortOutput() {
    DockerSandboxActivities activities = activities();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long started = System.nanoTime();
      SandboxResult result =
          activities.run(step(loopId("overhead"), workspace, List.of("echo", "run-" + i)));
      millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      assertThat(result.outputTail()).isEqualTo("run-" + i + "\n");
    }
    List<Long> sorted = millis.stream().sorted().toList();
    long median = (sorted.get(4) + sorted.get(5)) / 2;
    System.out.println(
        "create+attach+start+wait+inspect+remove of a trivial sandbox step, 10 runs (ms): "
            + millis
            + ", median "
            + median);
    assertThat(median).isLessThan(3_000L);
  }
}
