package dev.forge.activities.sandbox;

import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.spec.sandbox.SandboxMount;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.spec.sandbox.UsageFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** Builders for sandbox steps and work trees in tests. */
final class SandboxFixtures {

  static final String IMAGE =
      System.getProperty("forge.test.sandbox-image", "forge/sandbox:0.1.0-bookworm");
  static final int SANDBOX_UID = 1000;

  private SandboxFixtures() {}

  static SandboxLimits limits() {
    return new SandboxLimits(256L << 20, 1_000_000_000L, 128, 60, 16L << 20, 64 << 10, 0);
  }

  static SandboxLimits limits(long memoryBytes, long timeoutSeconds, long outputBytes) {
    return new SandboxLimits(
        memoryBytes, 1_000_000_000L, 128, timeoutSeconds, 16L << 20, outputBytes, 0);
  }

  static String loopId(String purpose) {
    return "it-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static SandboxStep step(String loopId, Path workspace, List<String> command) {
    return step(loopId, workspace, command, limits(), Map.of(), null, null);
  }

  static SandboxStep step(
      String loopId,
      Path workspace,
      List<String> command,
      SandboxLimits limits,
      Map<String, String> env,
      UsageFormat usage,
      String promise) {
    return new SandboxStep(
        loopId,
        1,
        "agent",
        workspace.toString(),
        command,
        new SandboxConfig(IMAGE, limits, env),
        usage,
        promise);
  }

  static SandboxStep withImage(SandboxStep step, String image) {
    return new SandboxStep(
        step.loopId(),
        step.iteration(),
        step.step(),
        step.workspace(),
        step.command(),
        new SandboxConfig(
            image,
            step.sandbox().network(),
            step.sandbox().limits(),
            step.sandbox().env(),
            step.sandbox().allowedHosts(),
            step.sandbox().mounts(),
            step.sandbox().runtime()),
        step.usage(),
        step.completionPromise());
  }

  static SandboxStep withSandbox(SandboxStep step, SandboxConfig sandbox) {
    return new SandboxStep(
        step.loopId(),
        step.iteration(),
        step.step(),
        step.workspace(),
        step.command(),
        sandbox,
        step.usage(),
        step.completionPromise());
  }

  static SandboxStep withMounts(SandboxStep step, List<SandboxMount> mounts) {
    SandboxConfig s = step.sandbox();
    return withSandbox(step, new SandboxConfig(
        s.image(), s.network(), s.limits(), s.env(), s.allowedHosts(), mounts, s.runtime()));
  }

  static SandboxStep withRuntime(SandboxStep step, String runtime) {
    SandboxConfig s = step.sandbox();
    return withSandbox(step, new SandboxConfig(
        s.image(), s.network(), s.limits(), s.env(), s.allowedHosts(), s.mounts(), runtime));
  }

  /** A temporary work tree owned by the sandbox user, as Forge hands it over when it runs as root. */
  static Path workspace() {
    try {
      Path dir = Files.createTempDirectory("forge-ws-");
      chownToSandboxUser(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a work tree made by {@link #workspace()}, whatever the sandbox wrote into it. */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void chownToSandboxUser(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", SANDBOX_UID);
    Files.setAttribute(path, "unix:gid", SANDBOX_UID);
  }
}
