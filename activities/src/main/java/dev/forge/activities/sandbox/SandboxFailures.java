package dev.forge.activities.sandbox;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;

/**
 * The failure types of the sandbox activity. Configuration errors and policy violations are
 * non-retryable; Docker trouble is retryable, because a daemon that is restarting or briefly
 * unreachable usually comes back.
 */
public final class SandboxFailures {

  /** The step cannot run as configured (missing image, work tree or credential variable). */
  public static final String CONFIG_ERROR = "SandboxConfigError";
  /** The step asks for something Forge never allows (unpinned image, symlinked .git, ...). */
  public static final String POLICY_VIOLATION = "SandboxPolicyViolation";
  /**
   * The container was not as locked down as asked (seen from inside it); the command did not run.
   * Not retryable: the same host would give the same container again.
   */
  public static final String PREFLIGHT_FAILED = "SandboxPreflightFailed";
  /** The Docker daemon could not be reached. Retryable. */
  public static final String DOCKER_UNAVAILABLE = "SandboxDockerUnavailable";
  /** The Docker daemon answered with an error. Retryable. */
  public static final String DOCKER_ERROR = "SandboxDockerError";
  /** The activity thread was interrupted (worker shutting down). Retryable. */
  public static final String INTERRUPTED = "SandboxInterrupted";

  private SandboxFailures() {}

  static ApplicationFailure configError(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, CONFIG_ERROR);
  }

  static ApplicationFailure policyViolation(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, POLICY_VIOLATION);
  }

  static ApplicationFailure preflightFailed(List<String> failedChecks) {
    return ApplicationFailure.newNonRetryableFailure(
        "the sandbox failed its preflight check, so the command did not run: "
            + String.join("; ", failedChecks)
            + ". Check the Docker engine's configuration (seccomp, user namespaces, networks);"
            + " the evidence is in the audit log",
        PREFLIGHT_FAILED);
  }

  static ApplicationFailure interrupted(InterruptedException e) {
    return ApplicationFailure.newFailureWithCause(
        "the sandbox step was interrupted (worker shutting down?); it will be retried",
        INTERRUPTED,
        e);
  }

  /**
   * Turns what went wrong into what Temporal should see. Failures and cancellations pass through;
   * Docker errors become typed failures whose messages are redacted (the cause is dropped when its
   * message held a credential).
   */
  static RuntimeException translate(RuntimeException e, Redactor redactor) {
    if (e instanceof ApplicationFailure || e instanceof ActivityCompletionException) {
      return e;
    }
    if (e instanceof BadRequestException) {
      return ApplicationFailure.newNonRetryableFailure(
          "Docker refused the container: " + redactor.redact(e.getMessage()), CONFIG_ERROR);
    }
    String type;
    String what;
    if (causedByIo(e)) {
      type = DOCKER_UNAVAILABLE;
      what = "the Docker daemon is unreachable; is it running? ";
    } else if (e instanceof DockerException || e instanceof DockerClientException) {
      type = DOCKER_ERROR;
      what = "Docker failed: ";
    } else {
      return e;
    }
    String raw = e.getClass().getSimpleName() + ": " + e.getMessage();
    String message = what + redactor.redact(raw);
    return message.equals(what + raw)
        ? ApplicationFailure.newFailureWithCause(message, type, e)
        : ApplicationFailure.newFailure(message, type);
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
