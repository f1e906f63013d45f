package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFailures.configError;
import static dev.forge.activities.sandbox.SandboxFailures.policyViolation;

import dev.forge.spec.sandbox.NeverMounted;
import dev.forge.spec.sandbox.SandboxMount;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import java.util.Set;

/**
 * Resolves a step's extra mounts to the real paths that get mounted. Sources are relative to the
 * work tree and must stay in it after every symlink is resolved: the path handed to Docker is the
 * resolved one, and between steps no sandbox process of the loop runs that could swap a component
 * for a link. The work tree's {@code .git}, the host's secret directories and the Docker socket are
 * never mounted.
 */
final class MountResolver {

  static final int MAX_MOUNTS = NeverMounted.MAX_MOUNTS;
  /** Targets that may not be covered, nor anything below them. */
  private static final List<String> FORBIDDEN_TARGETS = Stream.concat(
      NeverMounted.KERNEL_TARGETS.stream(), Stream.of(NeverMounted.GIT_METADATA)).toList();
  /** Targets that may not be covered themselves (mounts below them are fine). */
  private static final List<String> RESERVED_TARGETS = NeverMounted.RESERVED_TARGETS;
  private static final List<Path> SOCKETS =
      NeverMounted.DOCKER_SOCKETS.stream().map(Path::of).toList();

  /** A mount as it is handed to Docker. */
  record Resolved(Path source, String target, boolean readOnly) {}

  private final Path home;

  MountResolver(Path home) {
    this.home = home;
  }

  List<Resolved> resolve(Path workTree, List<SandboxMount> mounts) {
    if (mounts.size() > MAX_MOUNTS) {
      throw configError("a sandbox may have at most " + MAX_MOUNTS + " extra mounts, not "
          + mounts.size());
    }
    List<Resolved> resolved = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    for (SandboxMount mount : mounts) {
      String target = target(mount);
      if (!targets.add(target)) {
        throw configError("two mounts share the target " + target);
      }
      resolved.add(new Resolved(source(workTree, mount), target, mount.readOnly()));
    }
    return List.copyOf(resolved);
  }

  private Path source(Path workTree, SandboxMount mount) {
    String text = mount.source();
    Path relative;
    try {
      relative = text == null || text.isBlank() || text.indexOf('\0') >= 0 ? null : Path.of(text);
    } catch (InvalidPathException e) {
      relative = null;
    }
    if (relative == null || relative.isAbsolute()) {
      throw policyViolation("mount source " + shown(text)
          + " must be a path relative to the work tree");
    }
    for (Path part : relative) {
      if (part.toString().equals("..")) {
        throw policyViolation("mount source " + shown(text) + " must not contain '..'");
      }
    }
    Path real;
    try {
      real = workTree.resolve(relative).toRealPath();
    } catch (IOException e) {
      throw configError("mount source " + shown(text) + " does not exist in the work tree");
    }
    // Refusals name the source as the config wrote it and the rule, never a resolved host path
    // (the work tree and the worker's home would show); the API's check words them alike.
    if (!real.startsWith(workTree) || real.equals(workTree)) {
      throw policyViolation("mount source " + shown(text) + " is not inside the work tree after"
          + " resolving symlinks (a symlink pointing out?); only what lies inside it can be mounted");
    }
    if (real.startsWith(workTree.resolve(".git"))) {
      throw policyViolation("mount source " + shown(text) + " is the work tree's git metadata,"
          + " which the sandbox never gets writable or remounted");
    }
    for (String name : NeverMounted.HOME_SECRETS) {
      Path secret = home.resolve(name);
      if (real.startsWith(secret) || secret.startsWith(real)) {
        throw policyViolation("mount source " + shown(text) + " would expose ~/" + name
            + "; the worker user's credentials and the Docker socket are never mountable");
      }
    }
    for (Path socket : SOCKETS) {
      if (real.startsWith(socket) || socket.startsWith(real)) {
        throw policyViolation("mount source " + shown(text) + " would expose " + socket
            + "; the worker user's credentials and the Docker socket are never mountable");
      }
    }
    return real;
  }

  private static String target(SandboxMount mount) {
    String target = mount.target();
    boolean wellFormed = target != null && target.startsWith("/") && target.length() > 1
        && !target.endsWith("/") && target.indexOf('\0') < 0 && !target.contains("//")
        && !target.contains(":") && Path.of(target).normalize().toString().equals(target);
    if (!wellFormed) {
      throw policyViolation("mount target " + shown(target)
          + " must be a normalised absolute path other than /");
    }
    if (RESERVED_TARGETS.contains(target)) {
      throw policyViolation("mount target " + target + " is Forge's own; mount below it instead");
    }
    for (String forbidden : FORBIDDEN_TARGETS) {
      if (target.equals(forbidden) || target.startsWith(forbidden + "/")) {
        throw policyViolation("mount target " + target + " is inside " + forbidden
            + ", which Forge does not let a mount cover");
      }
    }
    return target;
  }

  private static String shown(String text) {
    if (text == null) {
      return "(none)";
    }
    return "'" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "'";
  }
}
