package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Real git repositories for tests, driven by git itself with a clean environment. */
final class TestRepos {

  private TestRepos() {}

  /** A repository on branch {@code main} with the given files in one commit. */
  static Path repository(Path dir, Map<String, String> files) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(dir, "init", "--quiet", "--initial-branch=main");
    files.forEach((name, content) -> write(dir.resolve(name), content));
    commitAll(dir, "initial");
    return dir;
  }

  static String commitAll(Path dir, String message) {
    git(dir, "add", "--all");
    git(dir, "commit", "--quiet", "-m", message);
    return git(dir, "rev-parse", "HEAD").strip();
  }

  /** Runs git in {@code dir}, discovering the repository as a person would; fails on exit != 0. */
  static String git(Path dir, String... args) {
    Result result = run(dir, args);
    assertThat(result.exitCode())
        .as("git %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  static Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("GIT_"));
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.org");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.org");
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits on a branch, newest first, as full ids. */
  static List<String> history(Path repo, String branch) {
    return Arrays.stream(git(repo, "rev-list", branch).split("\n"))
        .filter(s -> !s.isBlank())
        .toList();
  }

  record Result(int exitCode, String output) {}
}
