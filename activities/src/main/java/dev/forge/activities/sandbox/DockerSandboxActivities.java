package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each sandbox step in a fresh, locked-down Docker container: removes what an earlier attempt
 * left, validates, creates, streams and waits (heartbeating), and removes the container whatever
 * happens. Every attempt writes one audit entry.
 */
public final class DockerSandboxActivities implements SandboxActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerSandboxActivities.class);

  private final SandboxSettings settings;
  private final StepValidator validator;
  private final SandboxContainers containers;
  private final ContainerRunner runner;
  private final StepAudit audit;

  /**
   * @param docker the Docker client (see {@link DockerClients#connect})
   * @param settings how containers are run
   * @param audit where each attempt is recorded
   * @param hostEnv reads the worker's environment variables ({@code System::getenv} in production)
   */
  public DockerSandboxActivities(
      DockerClient docker,
      SandboxSettings settings,
      AuditLog audit,
      Function<String, String> hostEnv) {
    this.settings = settings;
    this.validator = new StepValidator(docker, hostEnv);
    this.containers = new SandboxContainers(docker, settings.user());
    this.runner = new ContainerRunner(docker, settings.heartbeatInterval(), settings.drainTimeout());
    this.audit = new StepAudit(audit, settings.auditOutputBytes());
  }

  @Override
  public SandboxResult run(SandboxStep step) {
    ActivityContext context = ActivityContext.current();
    StepAudit.Attempt attempt = new StepAudit.Attempt();
    SandboxResult result;
    try {
      result = execute(step, context, attempt);
    } catch (RuntimeException e) {
      RuntimeException failure = SandboxFailures.translate(e, attempt.redactor());
      attempt.failed(outcomeOf(failure), typeOf(failure), messageOf(failure));
      try {
        audit.write(step, context, attempt);
      } catch (RuntimeException auditFailure) {
        failure.addSuppressed(auditFailure);
      }
      throw failure;
    }
    audit.write(step, context, attempt);
    return result;
  }

  private SandboxResult execute(SandboxStep step, ActivityContext context, StepAudit.Attempt attempt) {
    StepValidator.checkIdentity(step);
    containers.removeLeftovers(step);
    PreparedStep prepared = validator.prepare(step);
    attempt.prepared(prepared);
    StepOutput output =
        new StepOutput(
            (int) step.sandbox().limits().outputBytes(),
            step.usage(),
            step.completionPromise(),
            prepared.redactor());
    String containerId = containers.create(prepared, context.runId());
    attempt.created(containerId, output);
    try {
      ContainerRunner.Ending ending =
          runner.run(containerId, step.sandbox().limits().timeoutSeconds(), output, context);
      attempt.ended(ending);
      log.info(
          "sandbox step {} of loop {} iteration {} ended {} (exit {}) after {} ms",
          step.step(),
          step.loopId(),
          step.iteration(),
          ending.outcome(),
          ending.exitCode(),
          ending.durationMillis());
      return new SandboxResult(
          step.step(),
          ending.outcome(),
          ending.exitCode(),
          ending.durationMillis(),
          output.tail(settings.feedbackTailBytes()),
          output.truncated(),
          step.completionPromise() != null && output.promiseSeen(),
          output.usage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SandboxFailures.interrupted(e);
    } finally {
      destroy(containerId);
    }
  }

  /** Removes the container even when this thread was interrupted. */
  private void destroy(String containerId) {
    boolean interrupted = Thread.interrupted();
    try {
      containers.destroy(containerId);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String outcomeOf(RuntimeException failure) {
    if (failure instanceof ActivityCompletionException) {
      return "CANCELLED";
    }
    if (failure instanceof ApplicationFailure f && f.isNonRetryable()) {
      return "REJECTED";
    }
    return "FAILED";
  }

  private static String messageOf(RuntimeException failure) {
    return failure instanceof ApplicationFailure f ? f.getOriginalMessage() : failure.getMessage();
  }

  private static String typeOf(RuntimeException failure) {
    return failure instanceof ApplicationFailure f ? f.getType() : failure.getClass().getName();
  }
}
