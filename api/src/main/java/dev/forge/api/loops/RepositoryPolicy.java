package dev.forge.api.loops;

import dev.forge.api.problems.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Which repositories a loop may work on: a local git repository whose real path (symlinks
 * resolved) lies under one of the configured allowed roots. The resolved path is what the loop
 * gets, so a symlink swapped afterwards cannot redirect it.
 */
final class RepositoryPolicy {

  static final String FIELD = "repository";

  private final List<String> allowedRoots;

  RepositoryPolicy(List<String> allowedRoots) {
    this.allowedRoots = List.copyOf(allowedRoots);
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
    Path real;
    try {
      real = given.toRealPath();
    } catch (IOException e) {
      throw invalid("path", "does not exist");
    }
    List<Path> roots = realRoots();
    if (roots.stream().noneMatch(real::startsWith)) {
      throw invalid("path", "is outside the allowed roots " + roots
          + " (after resolving symlinks); ask an administrator to add its parent to forge.api.allowed-roots");
    }
    if (!Files.isDirectory(real.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
      throw invalid("git", "is not a git repository (no .git directory); run git init and commit first");
    }
    return real;
  }

  private static InvalidInputException invalid(String rule, String message) {
    return new InvalidInputException(FIELD, rule, message);
  }
}
