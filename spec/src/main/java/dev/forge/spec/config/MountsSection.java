package dev.forge.spec.config;

import dev.forge.spec.Shown;

import dev.forge.spec.sandbox.NeverMounted;
import dev.forge.spec.sandbox.SandboxMount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code sandbox.mounts}: parts of the repository mounted read-only over themselves, or at a
 * second place in the container. Each entry of {@code read_only} and {@code read_write} is {@code
 * path} (mounted at {@code /workspace/<path>}) or {@code path:/container/target}.
 *
 * <p>Only the shape is checked here. The caller still resolves each path against the repository
 * (and its symlinks) before the loop starts, and the sandbox activity does again before each step.
 */
final class MountsSection {

  static final int MAX_MOUNTS = NeverMounted.MAX_MOUNTS;
  static final int MAX_LENGTH = 1024;
  static final String WORKSPACE = NeverMounted.WORKSPACE;
  static final List<String> KEYS = List.of("read_only", "read_write");
  private static final String EXAMPLE = "[tests, \"fixtures:/data\"]";
  static final Set<String> NEVER_MOUNTED = NeverMounted.CREDENTIAL_NAMES;
  private static final List<String> KERNEL = NeverMounted.KERNEL_TARGETS;
  private static final String GIT_TARGET = NeverMounted.GIT_METADATA;

  private MountsSection() {}

  /** The mounts, read_only ones first, each list in written order; null when one was wrong. */
  static List<SandboxMount> read(Issues issues, String path, Object value) {
    Section mounts = Section.read(issues, path, value, KEYS, Map.of());
    List<SandboxMount> result = new ArrayList<>();
    Map<String, String> targets = new HashMap<>();
    boolean valid = mounts.isMapping() || value == null;
    int count = 0;
    for (String key : KEYS) {
      String listPath = mounts.path(key);
      List<?> entries = Values.list(issues, listPath, mounts.get(key), MAX_MOUNTS, EXAMPLE);
      if (entries == null) {
        valid &= mounts.get(key) == null;
        continue;
      }
      count += entries.size();
      for (int i = 0; i < entries.size(); i++) {
        String field = Paths.index(listPath, i);
        SandboxMount mount = entry(issues, field, entries.get(i), key.equals("read_only"));
        if (mount == null) {
          valid = false;
          continue;
        }
        String earlier = targets.putIfAbsent(mount.target(), field);
        if (earlier != null) {
          issues.add(field, "duplicate", "mounts at " + mount.target() + ", as " + earlier
              + " does already; each mount needs a target of its own");
          valid = false;
        } else {
          result.add(mount);
        }
      }
    }
    if (count > MAX_MOUNTS) {
      issues.add(path, "range", "must have at most " + MAX_MOUNTS + " mounts in all, got " + count);
      return null;
    }
    return valid ? List.copyOf(result) : null;
  }

  private static SandboxMount entry(Issues issues, String path, Object value, boolean readOnly) {
    if (value == null || value instanceof Map) {
      issues.add(path, "type", "must be a string: a path such as tests, or path:/target such as"
          + " fixtures:/data, got " + Shown.kind(value));
      return null;
    }
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    if (text.length() > MAX_LENGTH) {
      issues.add(path, "range", "must be at most " + MAX_LENGTH + " characters, got "
          + text.length());
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        issues.add(path, "path", "must not contain NUL or other control characters, got "
            + Shown.value(text));
        return null;
      }
    }
    if (text.indexOf('\\') >= 0) {
      issues.add(path, "path", "must use forward slashes, not backslashes, got "
          + Shown.value(text));
      return null;
    }
    int colon = text.indexOf(':');
    String source = source(issues, path, text, colon < 0 ? text : text.substring(0, colon));
    if (source == null) {
      return null;
    }
    String target = colon < 0 ? WORKSPACE + "/" + source
        : target(issues, path, text, text.substring(colon + 1));
    return target == null ? null : new SandboxMount(source, target, readOnly);
  }

  /** The source, relative and normalised ({@code ./tests/} becomes {@code tests}). */
  private static String source(Issues issues, String path, String text, String source) {
    if (source.isBlank()) {
      issues.add(path, "path", "must start with a path relative to the repository root, such as"
          + " tests or tests:/data, got " + Shown.value(text));
      return null;
    }
    if (source.startsWith("/") || source.startsWith("~")) {
      issues.add(path, "path", "must name a path relative to the repository root, such as tests;"
          + " nothing outside the repository is ever mounted; got " + Shown.value(text));
      return null;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : source.split("/")) {
      if (segment.equals("..")) {
        issues.add(path, "path", "must stay inside the repository: no '..' segment, got "
            + Shown.value(text));
        return null;
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    if (segments.isEmpty()) {
      issues.add(path, "path", "must name a file or directory inside the repository: the whole"
          + " repository is already mounted at " + WORKSPACE + ", got " + Shown.value(text));
      return null;
    }
    for (String segment : segments) {
      if (NEVER_MOUNTED.contains(segment.toLowerCase(Locale.ROOT))) {
        issues.add(path, "forbidden", Shown.value(text) + " names credentials or the Docker socket"
            + " (" + segment + "); paths named .ssh, .aws, .gnupg, .docker, .kube, .npmrc, .netrc,"
            + " .gitconfig or docker.sock are never mountable");
        return null;
      }
    }
    if (segments.get(0).equalsIgnoreCase(".git")) {
      issues.add(path, "reserved", ".git is mounted read-only by Forge itself and is never mounted"
          + " elsewhere or writable, got " + Shown.value(text));
      return null;
    }
    return String.join("/", segments);
  }

  private static String target(Issues issues, String path, String text, String target) {
    if (!target.startsWith("/")) {
      issues.add(path, "path", "must have an absolute container path after ':', as in"
          + " fixtures:/data, got " + Shown.value(text));
      return null;
    }
    if (target.indexOf(':') >= 0) {
      issues.add(path, "path", "must have a single container path after ':', as in"
          + " fixtures:/data; a path containing ':' cannot be mounted; got " + Shown.value(text));
      return null;
    }
    String[] segments = target.equals("/") ? new String[0] : target.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        issues.add(path, "path", "must have a normalised container path after ':' (no '.', '..' or"
            + " empty segment, no trailing '/'), got " + Shown.value(text));
        return null;
      }
    }
    String reason = reservedTarget(target);
    if (reason != null) {
      issues.add(path, "reserved", "cannot mount at " + target + ": " + reason);
      return null;
    }
    return target;
  }

  private static String reservedTarget(String target) {
    if (target.equals("/")) {
      return "that is the container's root file system";
    }
    for (String kernel : KERNEL) {
      if (target.equals(kernel) || target.startsWith(kernel + "/")) {
        return kernel + " belongs to the kernel and the container runtime";
      }
    }
    if (target.equals(WORKSPACE)) {
      return "the whole repository is mounted there already";
    }
    if (target.equals(GIT_TARGET) || target.startsWith(GIT_TARGET + "/")) {
      return "Forge mounts the repository's .git there, read-only";
    }
    if (target.equals("/tmp")) {
      return "/tmp is the sandbox's tmpfs (limits.tmpfs)";
    }
    return null;
  }
}
