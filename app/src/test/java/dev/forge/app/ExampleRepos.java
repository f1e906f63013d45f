package dev.forge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Real git repositories made from examples/textstats for the end-to-end tests. */
final class ExampleRepos {

  static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLE = PROJECT.resolve("examples/textstats");

  private ExampleRepos() {}

  /** Copies the example (and the documented forge.yml) into a fresh repository with one commit. */
  static Path create(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.walk(EXAMPLE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path to = dir.resolve(EXAMPLE.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
    }
    Files.copy(PROJECT.resolve("forge.yml"), dir.resolve("forge.yml"));
    git(dir, "init", "--quiet", "--initial-branch=main");
    git(dir, "add", "--all");
    git(dir, "-c", "user.name=Test", "-c", "user.email=test@forge.invalid", "commit", "--quiet",
        "-m", "example");
    return dir.toRealPath();
  }

  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
