package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.git;
import static dev.forge.activities.workspace.TestRepos.read;
import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.forge.activities.InMemoryAuditLog;
import dev.forge.activities.sandbox.DockerClients;
import dev.forge.activities.sandbox.DockerSandboxActivities;
import dev.forge.activities.sandbox.SandboxSettings;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk quotas with real loop mounts, real git and a real sandbox container. Needs root, loop
 * devices, mkfs.ext4, a Docker engine and the sandbox image, as CI has. Every mount a test makes is
 * undone after it, so no loop device outlives the test.
 */
class DiskQuotaIT {

  static final long QUOTA = 64L << 20;
  /** What the image may take of the host's disk beyond the quota: the host's own metadata. */
  static final long MARGIN = 1L << 20;

  static final String IMAGE =
      System.getProperty("forge.test.sandbox-image", "forge/sandbox:0.1.0-bookworm");

  @TempDir Path temp;
  WorkspaceFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new WorkspaceFixture(temp, WorkspaceFixture.ROOT);
  }

  @AfterEach
  void unmountEverything() throws IOException {
    if (Files.isDirectory(fixture.worktrees)) {
      try (Stream<Path> entries = Files.list(fixture.worktrees)) {
        for (Path entry : entries.toList()) {
          String name = entry.getFileName().toString();
          if (!name.startsWith(".")) {
            fixture.activities.releaseDiskQuota(name);
          }
        }
      }
    }
    // Whatever a failed test left mounted under the temp directory goes too.
    Path root = temp.toRealPath();
    for (String mountPoint : mountPoints()) {
      if (Path.of(mountPoint).startsWith(root)) {
        run("umount", "--lazy", mountPoint);
      }
    }
    // A lazy unmount frees the loop device once the kernel lets go of the file system, which on a
    // loaded machine can take a moment.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!loopDevicesBackedBy(root).isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(loopDevicesBackedBy(root)).as("loop devices left behind").isEmpty();
  }

  @Test
  void shouldStopASandboxWritingTenTimesTheQuotaAtTheQuota() throws Exception {
    // given
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    Path image = image("loop-one");
    assertThat(DiskQuotas.isQuotaMount(tree)).isTrue();
    assertThat(DiskQuotas.isFull(tree)).isFalse();
    assertThat(Files.size(image)).isEqualTo(QUOTA);

    // when the sandbox user writes ten times the quota through the bind-mounted work tree
    long attempted = 10 * QUOTA;
    Result dd =
        docker(
            tree,
            "dd if=/dev/zero of=/workspace/big bs=1M count=" + (attempted >> 20) + " 2>&1");

    // then the write fails for lack of space, and the image holds the host's disk use to the quota
    long written = Files.size(tree.resolve("big"));
    long allocated = allocatedBytes(image);
    System.out.printf(
        "quota %d bytes, attempted %d bytes, written %d bytes, image allocated %d bytes,"
            + " free %d bytes%n",
        QUOTA, attempted, written, allocated, DiskQuotas.freeBytes(tree).orElseThrow());
    assertThat(dd.exitCode()).as(dd.output()).isNotZero();
    assertThat(dd.output()).contains("No space left on device");
    assertThat(written).isLessThan(QUOTA);
    assertThat(allocated).isLessThanOrEqualTo(QUOTA + MARGIN);
    assertThat(DiskQuotas.isFull(tree)).isTrue();
    assertThat(DiskQuotas.freeBytes(tree).orElseThrow())
        .isLessThanOrEqualTo(DiskQuotas.FULL_AT_BYTES);

    // and once the file is gone there is room again, and checkpoints work
    Files.delete(tree.resolve("big"));
    write(tree.resolve("notes.txt"), "after the flood\n");
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);
    assertThat(DiskQuotas.isFull(tree)).isFalse();
    assertThat(checkpoint.created()).isTrue();
    assertThat(git(fixture.repository, "show", "forge/loop-one:notes.txt"))
        .isEqualTo("after the flood\n");
  }

  @Test
  void shouldEndASandboxStepThatFillsTheQuotaAsQuotaExceeded() throws Exception {
    // given a loop work tree with a quota, and the sandbox activity as the worker runs it
    Workspace workspace = fixture.prepare("loop-flood", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    SandboxLimits limits =
        new SandboxLimits(256L << 20, 1_000_000_000L, 128, 120, 16L << 20, 64 << 10, QUOTA);
    SandboxStep step = new SandboxStep("loop-flood", 1, "agent", workspace.path(),
        List.of("bash", "-c", "dd if=/dev/zero of=/workspace/big bs=1M count=640; sleep 600"),
        new SandboxConfig(IMAGE, limits, Map.of()), null, null);
    InMemoryAuditLog audit = new InMemoryAuditLog();

    // when the agent writes ten times its quota and then lingers
    SandboxResult result;
    try (DockerClient docker = DockerClients.connect(null)) {
      result = new DockerSandboxActivities(docker,
          SandboxSettings.defaults(WorkspaceFixture.ROOT), audit, name -> null,
          dev.forge.activities.sandbox.TestStepPolicy.NONE).run(step);
    }

    // then it is stopped at the quota, long before its timeout, and the host kept its disk
    assertThat(result.outcome()).isEqualTo(SandboxOutcome.QUOTA_EXCEEDED);
    assertThat(result.durationMillis()).isLessThan(60_000);
    assertThat(allocatedBytes(image("loop-flood"))).isLessThanOrEqualTo(QUOTA + MARGIN);
    assertThat(audit.all().get(0).detail()).containsEntry("outcome", "QUOTA_EXCEEDED");
  }

  @Test
  void shouldPutTheWorkTreeOnItsOwnFileSystemAtTheUsualPath() throws IOException {
    // when
    Workspace workspace = fixture.prepare("loop-one", QUOTA);

    // then
    Path tree = WorkspaceFixture.path(workspace);
    assertThat(tree).isEqualTo(fixture.worktrees.toRealPath().resolve("loop-one"));
    assertThat(mountPoints()).containsOnlyOnce(tree.toString());
    assertThat(mountOptions(tree)).contains("nosuid", "nodev").doesNotContain("noexec");
    assertThat(read(tree.resolve("src/App.java"))).isEqualTo("class App {}\n");
    assertThat(tree.resolve("lost+found")).doesNotExist();
    assertThat(Files.getAttribute(tree, "unix:uid")).isEqualTo(WorkspaceFixture.ROOT.uid());
    Path image = image("loop-one");
    assertThat(Files.getAttribute(image, "unix:uid")).isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image.getParent())))
        .isEqualTo("rwx------");
    assertThat(fixture.audit.all())
        .singleElement()
        .satisfies(entry -> assertThat(entry.detail()).containsEntry("diskQuotaBytes", QUOTA));
  }

  @Test
  void shouldReleaseTheQuotasOfEndedLoopsOnlyWhenSwept() throws IOException {
    // given
    Workspace ended = fixture.prepare("loop-ended", QUOTA);
    Workspace running = fixture.prepare("loop-running", QUOTA);

    // when
    List<String> released =
        fixture.activities.releaseEndedDiskQuotas(loopId -> loopId.equals("loop-running"));

    // then
    assertThat(released).containsExactly("loop-ended");
    assertThat(mountPoints()).doesNotContain(ended.path()).containsOnlyOnce(running.path());
    assertThat(image("loop-ended")).doesNotExist();
    assertThat(image("loop-running")).exists();
    assertThat(read(WorkspaceFixture.path(running).resolve("src/App.java")))
        .isEqualTo("class App {}\n");
  }

  @Test
  void shouldPrepareAgainWithoutMountingTwice() {
    // given
    Workspace first = fixture.prepare("loop-one", QUOTA);
    write(WorkspaceFixture.path(first).resolve("work.txt"), "in progress\n");

    // when
    Workspace second = fixture.prepare("loop-one", QUOTA);

    // then
    assertThat(second).isEqualTo(first);
    assertThat(mountPoints()).containsOnlyOnce(first.path());
    assertThat(read(WorkspaceFixture.path(first).resolve("work.txt"))).isEqualTo("in progress\n");
    assertThat(fixture.audit.all())
        .extracting(StoredAuditEntry::action)
        .containsExactly("workspace.prepared");
  }

  @Test
  void shouldMountAgainWhenPreparedAfterARestartUnmountedTheWorkTree() throws IOException {
    // given a reboot (or an operator) unmounted the work tree, leaving an empty directory
    Workspace first = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(first);
    write(tree.resolve("work.txt"), "in progress\n");
    unmount(tree);
    assertThat(DiskQuotas.isQuotaMount(tree)).isFalse();
    assertThat(list(tree)).isEmpty();

    // when
    Workspace again = fixture.prepare("loop-one", QUOTA);

    // then
    assertThat(again).isEqualTo(first);
    assertThat(DiskQuotas.isQuotaMount(tree)).isTrue();
    assertThat(read(tree.resolve("work.txt"))).isEqualTo("in progress\n");
    assertThat(read(tree.resolve("README.md"))).isEqualTo("# demo\n");
  }

  @Test
  void shouldMountAgainBeforeACheckpointRatherThanCommitAnEmptyDirectory() {
    // given
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    write(tree.resolve("work.txt"), "iteration 1\n");
    unmount(tree);

    // when
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);

    // then only the new file is in the checkpoint; nothing was committed as deleted
    assertThat(DiskQuotas.isQuotaMount(tree)).isTrue();
    assertThat(checkpoint.filesChanged()).isEqualTo(1);
    assertThat(git(fixture.repository, "ls-tree", "-r", "--name-only", "forge/loop-one"))
        .contains("README.md", "src/App.java", "work.txt");
  }

  @Test
  void shouldMountAgainBeforeAReset() {
    // given
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    write(tree.resolve("work.txt"), "not wanted\n");
    unmount(tree);

    // when
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "undo"));

    // then
    assertThat(DiskQuotas.isQuotaMount(tree)).isTrue();
    assertThat(tree.resolve("work.txt")).doesNotExist();
    assertThat(read(tree.resolve("README.md"))).isEqualTo("# demo\n");
  }

  @Test
  void shouldResetAFullWorkTreeToACheckpointThatNeedsSpace() throws IOException {
    // given a checkpoint with an 8 MiB file, which the agent then deleted to fill the quota
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    Files.write(tree.resolve("data.bin"), randomBytes(8 << 20));
    Checkpoint withData = fixture.checkpoint(workspace, 1);
    Files.delete(tree.resolve("data.bin"));
    fill(tree.resolve("junk.bin"));
    assertThat(DiskQuotas.isFull(tree)).isTrue();

    // when
    fixture.activities.reset(new ResetRequest(workspace, withData.sha(), "back"));

    // then
    assertThat(Files.size(tree.resolve("data.bin"))).isEqualTo(8 << 20);
    assertThat(tree.resolve("junk.bin")).doesNotExist();
    assertThat(DiskQuotas.isFull(tree)).isFalse();
  }

  @Test
  void shouldMountAgainThroughThePublicApi() {
    // given
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    unmount(tree);

    // when / then
    assertThat(DiskQuotas.ensureMounted(tree)).isTrue();
    assertThat(DiskQuotas.ensureMounted(tree)).isTrue();
    assertThat(mountPoints()).containsOnlyOnce(tree.toString());
    assertThat(read(tree.resolve("README.md"))).isEqualTo("# demo\n");
  }

  @Test
  void shouldRefuseToMountOverFilesWrittenWhileUnmounted() {
    // given something wrote into the bare directory while the quota was not mounted
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    String tip = git(fixture.repository, "rev-parse", "forge/loop-one").strip();
    unmount(tree);
    write(tree.resolve("stray.txt"), "written without a quota\n");

    // when / then
    assertFailure(() -> fixture.checkpoint(workspace, 1), "WorkspaceConflict")
        .contains("holds files although its disk image");
    assertThat(git(fixture.repository, "rev-parse", "forge/loop-one").strip()).isEqualTo(tip);
    assertThat(DiskQuotas.isQuotaMount(tree)).isFalse();
  }

  @Test
  void shouldKeepTheExistingImageWhenAskedForAnotherQuota() throws IOException {
    // given
    Workspace first = fixture.prepare("loop-one", QUOTA);

    // when
    Workspace again = fixture.prepare("loop-one", 2 * QUOTA);

    // then
    assertThat(again).isEqualTo(first);
    assertThat(Files.size(image("loop-one"))).isEqualTo(QUOTA);
  }

  @Test
  void shouldPrepareWithoutQuotaExactlyAsBefore() throws IOException {
    // when
    Workspace workspace = fixture.prepare("loop-one", 0);

    // then
    Path tree = WorkspaceFixture.path(workspace);
    assertThat(tree).isEqualTo(fixture.worktrees.toRealPath().resolve("loop-one"));
    assertThat(QuotaMounts.isMountPoint(tree)).isFalse();
    assertThat(fixture.worktrees.resolve(".quota")).doesNotExist();
    assertThat(DiskQuotas.isQuotaMount(tree)).isFalse();
    assertThat(DiskQuotas.freeBytes(tree)).isEmpty();
    assertThat(DiskQuotas.isFull(tree)).isFalse();
    assertThat(DiskQuotas.ensureMounted(tree)).isFalse();
    assertThat(fixture.audit.all())
        .singleElement()
        .satisfies(entry -> assertThat(entry.detail()).containsEntry("diskQuotaBytes", 0L));
  }

  @Test
  void shouldFailClosedWhenTheWorkerCannotMakeTheFileSystem() {
    // given a worker without mkfs.ext4
    fixture =
        new WorkspaceFixture(
            temp.resolve("no-mkfs"),
            WorkspaceFixture.ROOT,
            DiskQuotaMode.ENFORCE,
            new QuotaTools("/nonexistent/mkfs.ext4", "mount", "umount"));

    // when / then
    assertFailure(() -> fixture.prepare("loop-one", QUOTA), "DiskQuotaUnavailable")
        .contains("cannot enforce loop loop-one's disk quota of " + QUOTA + " bytes")
        .contains("the program /nonexistent/mkfs.ext4 is not installed")
        .contains("forge.worker.disk-quota=off");
    assertThat(fixture.worktrees.resolve("loop-one")).doesNotExist();
    assertThat(fixture.worktrees.resolve(".quota/loop-one.img")).doesNotExist();
    assertThat(git(fixture.repository, "branch", "--list", "forge/*")).isEmpty();
  }

  @Test
  void shouldFailClosedWhenMkfsFails() {
    // given a worker whose mkfs.ext4 fails
    fixture =
        new WorkspaceFixture(
            temp.resolve("bad-mkfs"),
            WorkspaceFixture.ROOT,
            DiskQuotaMode.ENFORCE,
            new QuotaTools("/bin/false", "mount", "umount"));

    // when / then
    assertFailure(() -> fixture.prepare("loop-one", QUOTA), "DiskQuotaUnavailable")
        .contains("'/bin/false -q -F -m 0")
        .contains("failed with exit code 1")
        .contains("forge.worker.disk-quota=off");
    assertThat(fixture.worktrees.resolve(".quota")).isEmptyDirectory();
    assertThat(git(fixture.repository, "branch", "--list", "forge/*")).isEmpty();
  }

  @Test
  void shouldRunWithoutQuotaWhenQuotasAreOff() {
    // given
    fixture =
        new WorkspaceFixture(
            temp.resolve("off"), WorkspaceFixture.ROOT, DiskQuotaMode.OFF, QuotaTools.DEFAULT);

    // when
    Workspace workspace = fixture.prepare("loop-one", QUOTA);

    // then
    assertThat(QuotaMounts.isMountPoint(WorkspaceFixture.path(workspace))).isFalse();
    assertThat(fixture.worktrees.resolve(".quota")).doesNotExist();
    assertThat(fixture.audit.all())
        .singleElement()
        .satisfies(entry -> assertThat(entry.detail()).containsEntry("diskQuotaBytes", 0L));
  }

  @Test
  void shouldRefuseToAddAQuotaToAWorkTreeMadeWithout() {
    // given a work tree made while quotas were off
    Path dir = temp.resolve("switched");
    fixture =
        new WorkspaceFixture(dir, WorkspaceFixture.ROOT, DiskQuotaMode.OFF, QuotaTools.DEFAULT);
    fixture.prepare("loop-one", QUOTA);
    GitWorkspaceActivities enforcing =
        new GitWorkspaceActivities(
            new WorkspaceSettings(fixture.worktrees, WorkspaceFixture.ROOT), fixture.audit);

    // when / then
    assertFailure(
            () -> enforcing.prepare("loop-one", fixture.repository.toString(), QUOTA),
            "WorkspaceConflict")
        .contains("already exists without a disk quota");
    assertThat(QuotaMounts.isMountPoint(fixture.worktrees.resolve("loop-one"))).isFalse();
  }

  @Test
  void shouldRejectNegativeAndTooSmallQuotas() {
    assertFailure(() -> fixture.prepare("loop-one", -1), "InvalidDiskQuota")
        .contains("give 0 for none");
    assertFailure(() -> fixture.prepare("loop-one", 1L << 20), "InvalidDiskQuota")
        .contains("at least " + QuotaFileSystems.MIN_BYTES);
    assertThat(fixture.worktrees).doesNotExist();
  }

  @Test
  void shouldReleaseTheFileSystemAndItsImage() throws IOException {
    // given
    Workspace workspace = fixture.prepare("loop-one", QUOTA);
    Path tree = WorkspaceFixture.path(workspace);
    Path image = image("loop-one");

    // when
    fixture.activities.releaseDiskQuota("loop-one");
    fixture.activities.releaseDiskQuota("loop-one");

    // then
    assertThat(mountPoints()).doesNotContain(tree.toString());
    assertThat(image).doesNotExist();
    assertThat(tree).doesNotExist();
    assertThat(loopDevicesBackedBy(temp.toRealPath())).isEmpty();
    assertThat(git(fixture.repository, "rev-parse", "forge/loop-one").strip())
        .isEqualTo(workspace.baseSha());
  }

  @Test
  void shouldPrepareAFreshQuotaAfterAReleaseOnceGitForgotTheWorkTree() throws IOException {
    // given a released loop
    Workspace first = fixture.prepare("loop-one", QUOTA);
    write(WorkspaceFixture.path(first).resolve("work.txt"), "gone with the image\n");
    fixture.activities.releaseDiskQuota("loop-one");

    // when / then git still lists the work tree, and says how to clear that up
    assertFailure(() -> fixture.prepare("loop-one", QUOTA), "WorkspaceConflict")
        .contains("git worktree prune");
    git(fixture.repository, "worktree", "prune");
    Workspace again = fixture.prepare("loop-one", QUOTA);
    assertThat(again).isEqualTo(first);
    assertThat(DiskQuotas.isQuotaMount(WorkspaceFixture.path(again))).isTrue();
    assertThat(WorkspaceFixture.path(again).resolve("work.txt")).doesNotExist();
    assertThat(Files.size(image("loop-one"))).isEqualTo(QUOTA);
  }

  private Path image(String loopId) {
    try {
      return fixture.worktrees.toRealPath().resolve(".quota").resolve(loopId + ".img");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertFailure(
      ThrowingCallable call, String type) {
    List<String> message = new ArrayList<>();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).as(failure.getOriginalMessage()).isEqualTo(type);
              message.add(failure.getOriginalMessage());
            });
    return assertThat(message.get(0));
  }

  /** Runs a shell command in the sandbox image as the sandbox user, the work tree at /workspace. */
  private static Result docker(Path tree, String script) {
    String name = "forge-quota-it-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      return run(
          "docker", "run", "--rm", "--name", name, "--network", "none",
          "--user", WorkspaceFixture.ROOT.dockerUser(),
          "--mount", "type=bind,source=" + tree + ",target=/workspace",
          IMAGE, "sh", "-c", script);
    } finally {
      run("docker", "rm", "--force", name);
    }
  }

  /** Writes the file until the file system is out of space. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = randomBytes(1 << 20);
    try (var out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(42).nextBytes(bytes);
    return bytes;
  }

  private static void unmount(Path tree) {
    Result result = run("umount", tree.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /** The bytes the file takes on the host's disk (its allocated blocks, not its length). */
  private static long allocatedBytes(Path file) {
    Result result = run("stat", "--format=%b %B", file.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    long[] numbers = Arrays.stream(result.output().strip().split(" ")).mapToLong(Long::parseLong)
        .toArray();
    return numbers[0] * numbers[1];
  }

  /** Mount points in this process's namespace, from /proc/self/mountinfo (octal escapes kept). */
  private static List<String> mountPoints() {
    return mountInfo().stream().map(fields -> fields[4]).toList();
  }

  private static String mountOptions(Path mountPoint) {
    return mountInfo().stream()
        .filter(fields -> fields[4].equals(mountPoint.toString()))
        .map(fields -> fields[5])
        .reduce((first, last) -> last)
        .orElseThrow();
  }

  private static List<String[]> mountInfo() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
          .map(line -> line.split(" "))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> loopDevicesBackedBy(Path root) throws IOException {
    List<String> devices = new ArrayList<>();
    try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
      for (Path block : blocks.toList()) {
        Path backing = block.resolve("loop/backing_file");
        if (Files.isRegularFile(backing, LinkOption.NOFOLLOW_LINKS)) {
          String file = Files.readString(backing).strip();
          if (file.startsWith(root.toString())) {
            devices.add(block.getFileName() + " -> " + file);
          }
        }
      }
    }
    return devices;
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(Path::toString).toList();
    }
  }

  record Result(int exitCode, String output) {}

  private static Result run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
