package dev.forge.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs git on the host, hardened against anything a sandbox may have written into a work tree.
 *
 * <p>Every invocation is an argument list (no shell), starts from an empty environment, names its
 * git directory and work tree explicitly (so no {@code .git} file or directory is ever discovered),
 * ignores system and global configuration and attributes, disables hooks and fsmonitor, refuses
 * every transport, and is bounded in time and output by {@link GitProcess}.
 */
class Git {

  static final String SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";

  /** Settings given with {@code -c}: command-line configuration beats the repository's own. */
  static final List<String> FORCED_SETTINGS =
      List.of(
          "core.hooksPath=/dev/null",
          "core.fsmonitor=false",
          "core.untrackedCache=false",
          "core.sshCommand=false",
          "protocol.allow=never",
          "submodule.recurse=false",
          "commit.gpgSign=false",
          "gc.auto=0",
          "maintenance.auto=false");

  private final String executable;
  private final Duration timeout;
  private final Path home;

  Git(String executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
    this.home = createPrivateHome();
  }

  /** Runs git and fails unless it exits with 0. */
  final GitResult run(GitContext context, String... args) {
    return requireSuccess(List.of(args), execute(context, List.of(args), null));
  }

  /** Runs git with {@code input} on its standard input and fails unless it exits with 0. */
  final GitResult runWithInput(GitContext context, String input, String... args) {
    return requireSuccess(List.of(args), execute(context, List.of(args), input));
  }

  /** Runs git and returns whatever it exited with, for commands whose exit code is an answer. */
  final GitResult probe(GitContext context, String... args) {
    return execute(context, List.of(args), null);
  }

  /** The single place a git process is started; tests override it to simulate failures. */
  GitResult execute(GitContext context, List<String> args, String input) {
    return new GitProcess(
            command(executable, args), args, environment(context, home), context.workTree())
        .run(input, timeout);
  }

  /** The full command line: executable, hardening options, then the subcommand's arguments. */
  static List<String> command(String executable, List<String> args) {
    List<String> command = new ArrayList<>(2 + 2 * FORCED_SETTINGS.size() + args.size());
    command.add(executable);
    command.add("--no-pager");
    for (String setting : FORCED_SETTINGS) {
      command.add("-c");
      command.add(setting);
    }
    command.addAll(args);
    return command;
  }

  /** The complete environment of a git process; nothing is inherited from Forge's own. */
  static Map<String, String> environment(GitContext context, Path home) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", SAFE_PATH);
    env.put("LC_ALL", "C");
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_ATTR_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_OPTIONAL_LOCKS", "0");
    env.put("GIT_DIR", context.gitDir().toString());
    if (context.commonDir() != null) {
      env.put("GIT_COMMON_DIR", context.commonDir().toString());
    }
    env.put("GIT_WORK_TREE", context.workTree().toString());
    env.put("GIT_AUTHOR_NAME", "Forge");
    env.put("GIT_AUTHOR_EMAIL", "forge@localhost");
    env.put("GIT_COMMITTER_NAME", "Forge");
    env.put("GIT_COMMITTER_EMAIL", "forge@localhost");
    return env;
  }

  /** The empty HOME every git process gets, so no per-user config or attributes file is found. */
  Path home() {
    return home;
  }

  private static GitResult requireSuccess(List<String> args, GitResult result) {
    if (!result.succeeded()) {
      throw GitException.failed(args, result);
    }
    return result;
  }

  private static Path createPrivateHome() {
    try {
      Path dir =
          Files.createTempDirectory(
              "forge-git-home-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create an empty HOME directory for git", e);
    }
  }
}
