package dev.forge.api.config;

import dev.forge.workflows.sandbox.SandboxLimits;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Reads {@code sandbox:}: the image, the network and the resource limits every step runs under. */
final class SandboxSection {

  static final long MIB = 1L << 20;
  static final long GIB = 1L << 30;
  static final SandboxLimits DEFAULT_LIMITS =
      new SandboxLimits(2 * GIB, 2_000_000_000L, 256, 3_600, 512 * MIB, 8 * MIB);
  private static final List<String> KEYS = List.of("image", "network", "limits");
  private static final Map<String, String> PLANNED = Map.of(
      "mounts", "mounts are planned but not available yet: the sandbox sees only the repository"
          + " worktree; remove mounts",
      "runtime", "choosing a container runtime (e.g. gVisor) is planned but not available yet;"
          + " remove runtime");
  private static final List<String> NETWORK_KEYS = List.of("mode", "allowed");
  private static final List<String> LIMIT_KEYS =
      List.of("memory", "cpu", "pids", "timeout", "tmpfs", "output");
  private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

  /** What {@code sandbox:} holds; null fields had errors. */
  record Sandbox(String image, SandboxLimits limits) {}

  private SandboxSection() {}

  static Sandbox read(Issues issues, Section root) {
    if (!root.require("sandbox", "every loop runs in a sandbox; give at least sandbox.image, e.g."
        + " forge/sandbox:0.1.0-bookworm")) {
      return null;
    }
    Section sandbox = Section.read(issues, root.path("sandbox"), root.get("sandbox"), KEYS, PLANNED);
    if (!sandbox.isMapping()) {
      return null;
    }
    String image = null;
    if (sandbox.require("image", "a pinned image reference such as forge/sandbox:0.1.0-bookworm")) {
      image = ImageReference.check(issues, sandbox.path("image"), sandbox.get("image"));
    }
    network(issues, sandbox.path("network"), sandbox.get("network"));
    return new Sandbox(image, limits(issues, sandbox.path("limits"), sandbox.get("limits")));
  }

  /** Only {@code none} exists today; it is checked, and NetworkMode.NONE is used. */
  private static void network(Issues issues, String path, Object value) {
    Section network = Section.read(issues, path, value, NETWORK_KEYS, Map.of());
    String modePath = network.path("mode");
    String mode = Values.string(issues, modePath, network.get("mode"));
    boolean none = network.get("mode") == null || "none".equals(mode);
    if ("restricted".equals(mode)) {
      issues.add(modePath, "unsupported", "restricted network (egress proxy with allowlist) is not"
          + " available yet; use none");
    } else if (mode != null && !none) {
      issues.add(modePath, "format", "must be none, got " + Shown.value(mode));
    }
    String allowedPath = network.path("allowed");
    List<?> allowed = Values.list(issues, allowedPath, network.get("allowed"), 100,
        "[\"packages.example.org:443\"]");
    if (allowed != null && !allowed.isEmpty() && none) {
      issues.add(allowedPath, "unsupported", "an egress allowlist needs network mode restricted,"
          + " which is not available yet; with mode none it must be empty");
    }
  }

  private static SandboxLimits limits(Issues issues, String path, Object value) {
    Section limits = Section.read(issues, path, value, LIMIT_KEYS, Map.of());
    SandboxLimits d = DEFAULT_LIMITS;
    Long memory = size(issues, limits, "memory", d.memoryBytes(), 16 * MIB, 64 * GIB);
    Long nanoCpus = cpus(issues, limits);
    Long pids = limits.get("pids") == null ? Long.valueOf(d.pids())
        : Values.wholeNumber(issues, limits.path("pids"), limits.get("pids"), 16, 32_768);
    Long timeout = limits.get("timeout") == null ? Long.valueOf(d.timeoutSeconds())
        : Quantities.duration(issues, limits.path("timeout"), limits.get("timeout"), 5, 86_400);
    Long tmpfs = size(issues, limits, "tmpfs", d.tmpfsBytes(), MIB, 16 * GIB);
    Long output = size(issues, limits, "output", d.outputBytes(), 64 * 1024, 256 * MIB);
    if (memory == null || nanoCpus == null || pids == null || timeout == null || tmpfs == null
        || output == null) {
      return null;
    }
    return new SandboxLimits(memory, nanoCpus, pids, timeout, tmpfs, output);
  }

  private static Long size(Issues issues, Section limits, String key, long fallback, long min,
      long max) {
    Object value = limits.get(key);
    return value == null ? Long.valueOf(fallback)
        : Quantities.size(issues, limits.path(key), value, min, max);
  }

  private static Long cpus(Issues issues, Section limits) {
    Object value = limits.get("cpu");
    if (value == null) {
      return Long.valueOf(DEFAULT_LIMITS.nanoCpus());
    }
    BigDecimal cpus = Values.decimal(issues, limits.path("cpu"), value, 3, new BigDecimal("0.1"),
        BigDecimal.valueOf(64), "0.5 or 2");
    return cpus == null ? null : cpus.multiply(NANOS_PER_CPU).longValueExact();
  }
}
