package dev.forge.spec.config;

import dev.forge.spec.Shown;

import dev.forge.spec.RuleException;
import dev.forge.spec.sandbox.ImageReference;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.NetworkRules;
import dev.forge.spec.sandbox.SandboxLimitRules;
import dev.forge.spec.sandbox.SandboxLimitRules.Bound;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.spec.sandbox.SandboxMount;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code sandbox:}: the image, the network, extra mounts, the container runtime and the
 * resource limits every step runs under.
 */
final class SandboxSection {

  static final SandboxLimits DEFAULT_LIMITS = SandboxLimitRules.DEFAULTS;
  static final int MAX_ALLOWED_HOSTS = NetworkRules.MAX_ALLOWED_HOSTS;
  static final List<String> KEYS =
      List.of("image", "network", "mounts", "runtime", "limits");
  static final List<String> NETWORK_KEYS = List.of("mode", "allowed");
  static final List<String> NETWORK_MODES = List.of("none", "restricted");
  static final List<String> LIMIT_KEYS =
      SandboxLimitRules.ALL.stream().map(SandboxLimitRules.Bound::key).toList();
  private static final BigDecimal NANOS_PER_CPU =
      BigDecimal.valueOf(SandboxLimitRules.NANOS_PER_CPU);
  static final Pattern RUNTIME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");

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
      image = image(issues, sandbox.path("image"), sandbox.get("image"));
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
    NetworkMode networkMode =
        mode == null ? null : NetworkMode.valueOf(mode.toUpperCase(Locale.ROOT));
    if (networkMode != null) {
      try {
        NetworkRules.checkAllowlistFits(networkMode, entries.size());
      } catch (RuleException e) {
        issues.add(e.at(allowedPath));
        return null;
      }
    }
    List<String> hosts = allowedHosts(issues, allowedPath, entries);
    if (networkMode == null || hosts == null) {
      return null;
    }
    return new Network(networkMode, hosts);
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

  private static String image(Issues issues, String path, Object value) {
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    try {
      return ImageReference.check(text);
    } catch (RuleException e) {
      issues.add(e.at(path));
      return null;
    }
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
    Long memory = size(issues, limits, SandboxLimitRules.MEMORY, d.memoryBytes());
    Long nanoCpus = cpus(issues, limits);
    Bound p = SandboxLimitRules.PIDS;
    Long pids = limits.get(p.key()) == null ? Long.valueOf(d.pids())
        : Values.wholeNumber(issues, limits.path(p.key()), limits.get(p.key()), p.min(), p.max());
    Bound t = SandboxLimitRules.TIMEOUT;
    Long timeout = limits.get(t.key()) == null ? Long.valueOf(d.timeoutSeconds())
        : Quantities.duration(issues, limits.path(t.key()), limits.get(t.key()), t.min(), t.max());
    Long tmpfs = size(issues, limits, SandboxLimitRules.TMPFS, d.tmpfsBytes());
    Long output = size(issues, limits, SandboxLimitRules.OUTPUT, d.outputBytes());
    Long disk = size(issues, limits, SandboxLimitRules.DISK, d.diskBytes());
    if (memory == null || nanoCpus == null || pids == null || timeout == null || tmpfs == null
        || output == null || disk == null) {
      return null;
    }
    return new SandboxLimits(memory, nanoCpus, pids, timeout, tmpfs, output, disk);
  }

  private static Long size(Issues issues, Section limits, Bound bound, long fallback) {
    Object value = limits.get(bound.key());
    return value == null ? Long.valueOf(fallback)
        : Quantities.size(issues, limits.path(bound.key()), value, bound.min(), bound.max());
  }

  private static Long cpus(Issues issues, Section limits) {
    Object value = limits.get("cpu");
    if (value == null) {
      return Long.valueOf(DEFAULT_LIMITS.nanoCpus());
    }
    Bound cpu = SandboxLimitRules.CPU;
    BigDecimal cpus = Values.decimal(issues, limits.path("cpu"), value, 3,
        BigDecimal.valueOf(cpu.min()).divide(NANOS_PER_CPU),
        BigDecimal.valueOf(cpu.max()).divide(NANOS_PER_CPU), "0.5 or 2");
    return cpus == null ? null : cpus.multiply(NANOS_PER_CPU).longValueExact();
  }
}
