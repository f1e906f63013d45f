package dev.forge.api.loops;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.spec.sandbox.NeverMounted;
import dev.forge.spec.sandbox.SandboxMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Which repositories a loop may work on: a local git repository whose real path (symlinks
 * resolved) lies under one of the configured allowed roots. The resolved path is what the loop
 * gets, so a symlink swapped afterwards cannot redirect it.
 *
 * <p>Also which parts of it a config may mount ({@link #checkMounts}): only what really lies inside
 * the repository, outside its {@code .git}, and never the worker user's credentials or the Docker
 * socket.
 */
final class RepositoryPolicy {

  static final String FIELD = "repository";
  /** In the worker user's home: credentials no sandbox may see. */
  static final List<String> HOME_SECRETS = NeverMounted.HOME_SECRETS;
  static final List<Path> DOCKER_SOCKETS =
      NeverMounted.DOCKER_SOCKETS.stream().map(Path::of).toList();

  private static final int MAX_LINKS = 40;

  private final List<String> allowedRoots;
  private final Path home;

  RepositoryPolicy(List<String> allowedRoots) {
    this(allowedRoots, Path.of(System.getProperty("user.home", "/root")));
  }

  /** With {@code home} as the worker user's home directory. */
  RepositoryPolicy(List<String> allowedRoots, Path home) {
    this.allowedRoots = List.copyOf(allowedRoots);
    this.home = home;
  }

  /** The roots' real paths, resolved per request: a root created after start-up counts too. */
  private List<Path> realRoots() {
    List<Path> roots = new ArrayList<>();
    for (String root : allowedRoots) {
      try {
        roots.add(Path.of(root).toRealPath());
      } catch (IOException | RuntimeException e) {
        // A root that does not exist allows nothing.
      }
    }
    return roots;
  }

  Path resolve(String raw) {
    if (raw.isBlank() || raw.length() > 4096 || raw.indexOf('\0') >= 0) {
      throw invalid("format", "must be the absolute path of a local git repository");
    }
    Path given;
    try {
      given = Paths.get(raw);
    } catch (RuntimeException e) {
      throw invalid("format", "is not a valid path");
    }
    if (!given.isAbsolute()) {
      throw invalid("path", "must be an absolute path, got a relative one");
    }
    for (Path part : given) {
      if (part.toString().equals("..")) {
        throw invalid("path", "must not contain '..'");
      }
    }
    List<Path> roots = realRoots();
    // Where the path leads, dangling links followed: whether it exists is told only inside a root.
    Path leadsTo;
    try {
      Path root = given.getRoot();
      leadsTo = resolveLinks(root, root.relativize(given).toString());
    } catch (IOException | RuntimeException e) {
      throw outside(); // a link loop or an unreadable link: nothing known to be inside a root
    }
    if (roots.stream().noneMatch(leadsTo::startsWith)) {
      throw outside();
    }
    Path real;
    try {
      real = given.toRealPath();
    } catch (IOException e) {
      throw invalid("path", "does not exist under the allowed roots");
    }
    if (roots.stream().noneMatch(real::startsWith)) {
      throw outside(); // swapped for a link leading out since it was looked at
    }
    if (!Files.isDirectory(real.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
      throw invalid("git", "is not a git repository (no .git directory); run git init and commit first");
    }
    return real;
  }

  /**
   * Refuses mounts whose source, resolved with its symlinks, leaves the repository {@code repo} (a
   * real path, as {@link #resolve} returns), lies in or holds its {@code .git}, or is or holds a
   * credential directory of the worker user's home or the Docker socket. Symbolic links are
   * followed even when they dangle; a source that does not exist yet is allowed when it would be
   * created inside the repository. The sandbox activity resolves every source again before each
   * step, so a link swapped in afterwards is refused then.
   *
   * @param prefix put before each field: {@code config.} or {@code forge.yml:}
   * @throws InvalidInputException with one error per refused mount, at {@code
   *     <prefix>sandbox.mounts.read_only[i]} or {@code ...read_write[i]}
   */
  void checkMounts(Path repo, List<SandboxMount> mounts, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    List<Secret> secrets = secrets();
    int readOnly = 0;
    int readWrite = 0;
    for (SandboxMount mount : mounts) {
      String field = prefix + "sandbox.mounts." + (mount.readOnly()
          ? "read_only[" + readOnly++ + "]" : "read_write[" + readWrite++ + "]");
      FieldError error = checkMount(repo, mount.source(), field, secrets);
      if (error != null) {
        errors.add(error);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static FieldError checkMount(Path repo, String source, String field,
      List<Secret> secrets) {
    Path real;
    try {
      real = resolveLinks(repo, source);
    } catch (IOException | RuntimeException e) {
      return new FieldError(field, "path", "'" + source + "' cannot be resolved in the repository"
          + " (a symbolic link loop, or an unreadable link)");
    }
    // The answers name the source as the config wrote it and the rule, never a resolved host path,
    // and whatever leaves the repository gets one answer: telling a link to ~/.ssh from any other
    // way out would let a caller probe where the worker's home directory lies.
    if (!real.startsWith(repo)) {
      return new FieldError(field, "outside_root", "'" + source + "' leads outside the repository"
          + " (after resolving symlinks); only what lies inside the repository can be mounted");
    }
    for (Secret secret : secrets) {
      if (real.startsWith(secret.path()) || secret.path().startsWith(real)) {
        return new FieldError(field, "forbidden", "'" + source + "' is or holds " + secret.shown()
            + " (after resolving symlinks); the worker user's credentials and the Docker socket"
            + " are never mountable");
      }
    }
    Path git = repo.resolve(".git");
    if (real.startsWith(git) || git.startsWith(real)) {
      return new FieldError(field, "reserved", "'" + source + "' is or holds the repository's"
          + " .git (after resolving symlinks); Forge mounts .git read-only itself and never"
          + " elsewhere");
    }
    return null;
  }

  /**
   * Where {@code relative} leads from the real directory {@code start}, following every symbolic
   * link on the way as the kernel would, dangling ones included. Components that do not exist are
   * taken as they are: they cannot be links (yet).
   */
  static Path resolveLinks(Path start, String relative) throws IOException {
    Deque<String> remaining = new ArrayDeque<>();
    for (Path part : Path.of(relative)) {
      remaining.addLast(part.toString());
    }
    Path current = start;
    int links = 0;
    while (!remaining.isEmpty()) {
      String name = remaining.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        current = current.getParent() == null ? current : current.getParent();
        continue;
      }
      Path next = current.resolve(name);
      if (!Files.isSymbolicLink(next)) {
        current = next;
        continue;
      }
      if (++links > MAX_LINKS) {
        throw new IOException("more than " + MAX_LINKS + " symbolic links");
      }
      Path target = Files.readSymbolicLink(next);
      List<String> parts = new ArrayList<>();
      for (Path part : target) {
        parts.add(part.toString());
      }
      for (int i = parts.size() - 1; i >= 0; i--) {
        remaining.addFirst(parts.get(i));
      }
      if (target.isAbsolute()) {
        current = target.getRoot();
      }
    }
    return current;
  }

  /** A path no mount may reach, and how an answer names it. */
  private record Secret(Path path, String shown) {}

  /**
   * The worker user's credential paths and the Docker sockets, each also with links resolved;
   * shown as {@code ~/.ssh} and the socket's well-known path.
   */
  private List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>();
    for (String name : HOME_SECRETS) {
      addWithRealPath(secrets, home.resolve(name), "~/" + name);
    }
    for (Path socket : DOCKER_SOCKETS) {
      addWithRealPath(secrets, socket, socket.toString());
    }
    return secrets;
  }

  private static void addWithRealPath(List<Secret> secrets, Path path, String shown) {
    Path absolute = path.toAbsolutePath().normalize();
    secrets.add(new Secret(absolute, shown));
    try {
      Path root = absolute.getRoot();
      Path real = resolveLinks(root, root.relativize(absolute).toString());
      if (!real.equals(absolute)) {
        secrets.add(new Secret(real, shown));
      }
    } catch (IOException | RuntimeException e) {
      // A link loop: the path itself is listed, which is all there is to match.
    }
  }

  /**
   * The one answer for every path that does not lead into an allowed root, whether it exists or
   * not, is a file, a directory or a link: it names neither the path nor the roots' real paths,
   * so that no answer tells what lies on the host outside the roots, nor where the roots are.
   */
  private static InvalidInputException outside() {
    return invalid("outside_root", "is not under the allowed roots (forge.api.allowed-roots, after"
        + " resolving symbolic links); ask an administrator where repositories for Forge belong");
  }

  private static InvalidInputException invalid(String rule, String message) {
    return new InvalidInputException(FIELD, rule, message);
  }
}
