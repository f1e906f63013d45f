package dev.forge.activities.sandbox;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import dev.forge.activities.sandbox.egress.EgressProxyException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  /** Something else went wrong inside the activity (a bug, most likely). Retryable. */
  public static final String UNEXPECTED = "SandboxUnexpectedError";
  /** The activity thread was interrupted (worker shutting down). Retryable. */
  public static final String INTERRUPTED = "SandboxInterrupted";

  private static final Logger log = LoggerFactory.getLogger(SandboxFailures.class);

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
    // No cause: its class name and stack would be recorded in the history.
    return ApplicationFailure.newFailure(
        "the sandbox step was interrupted (worker shutting down?); it will be retried",
        INTERRUPTED);
  }

  /**
   * Turns what went wrong into what Temporal should see. Forge's own failures and cancellations
   * pass through; anything else becomes a typed failure in Forge's words, without a cause: the
   * engine's message, exception class names and host paths are logged on the worker only (and
   * redacted there too, since an engine message can quote the container's environment).
   */
  static RuntimeException translate(RuntimeException e, Redactor redactor) {
    if (e instanceof ApplicationFailure || e instanceof ActivityCompletionException) {
      return e;
    }
    log.warn("the sandbox step failed: {}", redactor.redact(String.valueOf(e)));
    if (e instanceof BadRequestException) {
      return ApplicationFailure.newNonRetryableFailure(
          EngineErrors.refusedSettings(e.getMessage()), CONFIG_ERROR);
    }
    if (causedByIo(e)) {
      return ApplicationFailure.newFailure(
          "the Docker engine is unreachable from the worker; is it running? The step is retried",
          DOCKER_UNAVAILABLE);
    }
    if (e instanceof DockerException docker) {
      return ApplicationFailure.newFailure(
          EngineErrors.failed(docker.getHttpStatus()), DOCKER_ERROR);
    }
    if (e instanceof DockerClientException || e instanceof EgressProxyException) {
      return ApplicationFailure.newFailure(
          e instanceof EgressProxyException
              ? "the egress proxy of the step could not be set up; the step is retried, and the"
                  + " worker's log has the details"
              : EngineErrors.failed(null),
          DOCKER_ERROR);
    }
    return ApplicationFailure.newFailure(
        "the sandbox step failed unexpectedly on the worker; it is retried, and the worker's log"
            + " has the details",
        UNEXPECTED);
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
