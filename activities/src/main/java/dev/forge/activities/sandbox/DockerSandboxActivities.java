package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import dev.forge.activities.sandbox.egress.EgressLease;
import dev.forge.activities.sandbox.egress.EgressProxies;
import dev.forge.activities.sandbox.egress.EgressSettings;
import dev.forge.activities.sandbox.gateway.ModelGateways;
import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.activities.workspace.DiskQuotas;
import dev.forge.audit.AuditLog;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxActivities;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.sandbox.Usage;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
  /**
   * At most this much of a step's output is held in memory (head and tail), whatever its output
   * limit: a step may print up to its limit, but the worker's heap does not grow with it.
   */
  static final int MAX_KEPT_OUTPUT_BYTES = 8 << 20;

  private final SandboxSettings settings;
  private final StepValidator validator;
  private final SandboxContainers containers;
  private final ContainerRunner runner;
  private final StepAudit audit;
  private final CgroupPids pids = new CgroupPids();
  private final EgressProxies egress;
  private final ModelGateways gateways;

  /**
   * @param docker the Docker client (see {@link DockerClients#connect})
   * @param settings how containers are run
   * @param audit where each attempt is recorded
   * @param hostEnv reads the worker's environment variables ({@code System::getenv} in production)
   * @param policy the operator's policy, checked before every step
   */
  public DockerSandboxActivities(
      DockerClient docker,
      SandboxSettings settings,
      AuditLog audit,
      Function<String, String> hostEnv,
      StepPolicy policy) {
    this(docker, settings, new EgressProxies(docker, EgressSettings.defaults()), audit, hostEnv,
        policy);
  }

  /**
   * @param egress starts the egress proxy of steps in network mode restricted
   */
  public DockerSandboxActivities(
      DockerClient docker,
      SandboxSettings settings,
      EgressProxies egress,
      AuditLog audit,
      Function<String, String> hostEnv,
      StepPolicy policy) {
    this(docker, settings, egress, null, audit, hostEnv, policy);
  }

  /**
   * @param gateways the worker's model gateway, for steps whose loop names a model provider;
   *     {@code null} refuses such steps
   */
  public DockerSandboxActivities(
      DockerClient docker,
      SandboxSettings settings,
      EgressProxies egress,
      ModelGateways gateways,
      AuditLog audit,
      Function<String, String> hostEnv,
      StepPolicy policy) {
    this.settings = settings;
    this.egress = egress;
    this.gateways = gateways;
    this.validator = new StepValidator(docker, hostEnv, policy, gateways != null);
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
    // After a reboot a quota file system is no longer mounted: never hand its empty mount point over.
    DiskQuotas.ensureMounted(prepared.workspace());
    SandboxLimits limits = step.sandbox().limits();
    StepOutput output =
        new StepOutput(
            (int) Math.min(limits.outputBytes(), MAX_KEPT_OUTPUT_BYTES),
            step.usage(),
            step.command(),
            step.completionPromise(),
            prepared.redactor(),
            LineScanner.DEFAULT_MAX_LINE_BYTES);
    EgressLease lease = null;
    String containerId = null;
    ModelGateways.Session model = null;
    Preflight.Capture preflight = new Preflight.Capture();
    try {
      if (step.model() != null) {
        // The model's way out: the step's proxy adds the grant's token and forwards to the gateway.
        model = gateways.open(step, context.runId() + ":" + context.attempt(), egress);
        lease = egress.start(step.loopId(), step.iteration(), step.step(), context.runId(),
            step.sandbox().network() == NetworkMode.RESTRICTED ? step.sandbox().allowedHosts()
                : List.of(), model.route());
      } else if (step.sandbox().network() == NetworkMode.RESTRICTED) {
        lease = egress.start(step.loopId(), step.iteration(), step.step(), context.runId(),
            step.sandbox().allowedHosts());
      }
      containerId = containers.create(prepared, context.runId(), new SandboxNetwork(lease,
          step.model() == null ? null : step.model().provider()));
      attempt.created(containerId, output);
      ContainerRunner.Ending ending =
          runner.run(
              containerId,
              limits.timeoutSeconds(),
              output,
              preflight,
              watches(prepared, output),
              context);
      attempt.ended(ending);
      Preflight.Evidence evidence = Preflight.Evidence.parse(preflight.line());
      attempt.preflight(evidence);
      if (!evidence.passed()) {
        throw SandboxFailures.preflightFailed(evidence.failed());
      }
      log.info(
          "sandbox step {} of loop {} iteration {} ended {} (exit {}) after {} ms",
          step.step(),
          step.loopId(),
          step.iteration(),
          ending.outcome(),
          ending.exitCode(),
          ending.durationMillis());
      Usage usage = output.usage();
      if (model != null) {
        // The gateway's meter is the cost of record; the agent's own report is kept beside it.
        model.close();
        usage = model.usage(usage, context.runId());
        model = null;
      }
      return new SandboxResult(
          step.step(),
          ending.outcome(),
          ending.exitCode(),
          ending.durationMillis(),
          output.tail(settings.feedbackTailBytes()),
          output.truncated(),
          step.completionPromise() != null && output.promiseSeen(),
          usage);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SandboxFailures.interrupted(e);
    } finally {
      if (containerId != null) {
        destroy(containerId);
      }
      if (model != null) {
        model.close();
      }
      if (lease != null) {
        endEgress(lease, step, context, prepared.redactor());
      }
    }
  }

  /** Records every decision the step's proxy made, then removes the proxy and its network. */
  private void endEgress(
      EgressLease lease, SandboxStep step, ActivityContext context, Redactor redactor) {
    boolean interrupted = Thread.interrupted();
    try {
      audit.writeEgress(step, context, egress.decisions(lease), redactor);
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (RuntimeException e) {
      log.warn("could not record the egress decisions of loop {} iteration {} step {}",
          step.loopId(), step.iteration(), step.step(), e);
    } finally {
      egress.stop(lease);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The limits Docker only counts: output beyond the step's limit, the pids limit reached, the work
   * tree's disk quota full.
   */
  private LimitWatch watches(PreparedStep prepared, StepOutput output) {
    long outputLimit = prepared.step().sandbox().limits().outputBytes();
    LimitWatch printedTooMuch =
        id -> output.totalBytes() > outputLimit
            ? Optional.of(SandboxOutcome.OUTPUT_TRUNCATED)
            : Optional.empty();
    Path workTree = prepared.workspace();
    LimitWatch diskFull =
        id -> DiskQuotas.isFull(workTree)
            ? Optional.of(SandboxOutcome.QUOTA_EXCEEDED)
            : Optional.empty();
    return LimitWatch.firstOf(List.of(printedTooMuch, pids, diskFull));
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
    // Anything but Forge's own failures is a cancellation or timeout (see SandboxFailures).
    return failure instanceof ApplicationFailure f ? f.getOriginalMessage()
        : "the step was cancelled, or its activity timed out";
  }

  private static String typeOf(RuntimeException failure) {
    return failure instanceof ApplicationFailure f ? f.getType() : "SandboxCancelled";
  }
}
