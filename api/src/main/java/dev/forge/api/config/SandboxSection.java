package dev.forge.api.config;

import dev.forge.workflows.sandbox.NetworkMode;
import dev.forge.workflows.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxMount;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code sandbox:}: the image, the network, extra mounts, the container runtime and the
 * resource limits every step runs under.
 */
final class SandboxSection {

  static final long MIB = 1L << 20;
  static final long GIB = 1L << 30;
  static final SandboxLimits DEFAULT_LIMITS =
      new SandboxLimits(2 * GIB, 2_000_000_000L, 256, 3_600, 512 * MIB, 8 * MIB, 10 * GIB);
  static final int MAX_ALLOWED_HOSTS = 100;
  private static final List<String> KEYS =
      List.of("image", "network", "mounts", "runtime", "limits");
  private static final List<String> NETWORK_KEYS = List.of("mode", "allowed");
  private static final List<String> NETWORK_MODES = List.of("none", "restricted");
  private static final List<String> LIMIT_KEYS =
      List.of("memory", "cpu", "pids", "timeout", "tmpfs", "output", "disk");
  private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);
  private static final Pattern RUNTIME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");

  /**
   * What {@code sandbox:} holds; null fields had errors, except {@code runtime}, which is null
   * when not given.
   */
  record Sandbox(String image, Network network, List<SandboxMount> mounts, String runtime,
      SandboxLimits limits) {}

  /** The network mode and its allowlist of normalised {@code host:port} entries. */
  record Network(NetworkMode mode, List<String> allowed) {}

  private SandboxSection() {}

  static Sandbox read(Issues issues, Section root) {
    if (!root.require("sandbox", "every loop runs in a sandbox; give at least sandbox.image, e.g."
        + " forge/sandbox:0.1.0-bookworm")) {
      return null;
    }
    Section sandbox = Section.read(issues, root.path("sandbox"), root.get("sandbox"), KEYS, Map.of());
    if (!sandbox.isMapping()) {
      return null;
    }
    String image = null;
    if (sandbox.require("image", "a pinned image reference such as forge/sandbox:0.1.0-bookworm")) {
      image = ImageReference.check(issues, sandbox.path("image"), sandbox.get("image"));
    }
    return new Sandbox(
        image,
        network(issues, sandbox.path("network"), sandbox.get("network")),
        MountsSection.read(issues, sandbox.path("mounts"), sandbox.get("mounts")),
        runtime(issues, sandbox.path("runtime"), sandbox.get("runtime")),
        limits(issues, sandbox.path("limits"), sandbox.get("limits")));
  }

  /**
   * {@code none} (the default) allows no allowlist; {@code restricted} needs one. With none and a
   * non-empty list, only the conflict is reported: the entries are not looked at.
   */
  private static Network network(Issues issues, String path, Object value) {
    Section network = Section.read(issues, path, value, NETWORK_KEYS, Map.of());
    Object modeValue = network.get("mode");
    String mode = modeValue == null ? "none"
        : Values.choice(issues, network.path("mode"), modeValue, NETWORK_MODES);
    String allowedPath = network.path("allowed");
    Object allowedValue = network.get("allowed");
    List<?> allowed = Values.list(issues, allowedPath, allowedValue, MAX_ALLOWED_HOSTS,
        "[\"pkgs.example:443\", \"*.cdn.example:443\"]");
    if (allowed == null && allowedValue != null) {
      return null;
    }
    List<?> entries = allowed == null ? List.of() : allowed;
    if ("none".equals(mode) && !entries.isEmpty()) {
      issues.add(allowedPath, "conflict", "must be empty with network mode none, which gives the"
          + " sandbox no network at all; set mode: restricted to reach these hosts through the"
          + " egress proxy");
      return null;
    }
    if ("restricted".equals(mode) && entries.isEmpty()) {
      issues.add(allowedPath, "required", "is required with network mode restricted: list the"
          + " host:port destinations the sandbox may reach, e.g. [\"pkgs.example:443\"]");
      return null;
    }
    List<String> hosts = allowedHosts(issues, allowedPath, entries);
    if (mode == null || hosts == null) {
      return null;
    }
    return new Network(mode.equals("none") ? NetworkMode.NONE : NetworkMode.RESTRICTED, hosts);
  }

  private static List<String> allowedHosts(Issues issues, String path, List<?> entries) {
    List<String> hosts = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    boolean valid = true;
    for (int i = 0; i < entries.size(); i++) {
      String field = Paths.index(path, i);
      String host = AllowedHost.check(issues, field, entries.get(i));
      if (host == null) {
        valid = false;
        continue;
      }
      String earlier = seen.putIfAbsent(host, field);
      if (earlier != null) {
        issues.add(field, "duplicate", "repeats " + host + ", already allowed by " + earlier
            + "; list each destination once");
        valid = false;
      } else {
        hosts.add(host);
      }
    }
    return valid ? List.copyOf(hosts) : null;
  }

  /** An OCI runtime Docker must already know; the worker checks that it does before each step. */
  private static String runtime(Issues issues, String path, Object value) {
    String text = Values.string(issues, path, value);
    if (text != null && !RUNTIME.matcher(text).matches()) {
      issues.add(path, "format", "must name an OCI runtime registered with Docker, such as runsc: a"
          + " lower-case letter, then up to 62 lower-case letters, digits, '.', '_' or '-'; got "
          + Shown.value(text));
      return null;
    }
    return text;
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
    Long disk = size(issues, limits, "disk", d.diskBytes(), 64 * MIB, 1024 * GIB);
    if (memory == null || nanoCpus == null || pids == null || timeout == null || tmpfs == null
        || output == null || disk == null) {
      return null;
    }
    return new SandboxLimits(memory, nanoCpus, pids, timeout, tmpfs, output, disk);
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
