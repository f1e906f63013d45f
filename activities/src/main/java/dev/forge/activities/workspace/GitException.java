package dev.forge.activities.workspace;

import java.util.List;

/**
 * A git invocation that failed, timed out or could not be started. Retryable: the activity fails
 * and Temporal retries it. The message names the git arguments and git's own error output, never
 * the environment.
 */
final class GitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  GitException(List<String> args, String problem) {
    super(describe(args) + " " + problem);
  }

  GitException(List<String> args, String problem, Throwable cause) {
    super(describe(args) + " " + problem, cause);
  }

  static GitException failed(List<String> args, GitResult result) {
    String stderr = result.stderr().strip();
    return new GitException(
        args,
        "failed with exit code " + result.exitCode() + (stderr.isEmpty() ? "" : ": " + stderr));
  }

  private static String describe(List<String> args) {
    return "git " + String.join(" ", args);
  }
}
