package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import dev.forge.workflows.sandbox.SandboxOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a created container to its end: streams its output, enforces the wall-clock limit and the
 * limits Docker only counts (output, pids, disk), and heartbeats while it waits. Cancellation surfaces as the exception the heartbeat throws; the
 * caller removes the container in any case.
 */
final class ContainerRunner {

  private static final Logger log = LoggerFactory.getLogger(ContainerRunner.class);

  private final DockerClient docker;
  private final Duration heartbeatInterval;
  private final Duration drainTimeout;

  ContainerRunner(DockerClient docker, Duration heartbeatInterval, Duration drainTimeout) {
    this.docker = docker;
    this.heartbeatInterval = heartbeatInterval;
    this.drainTimeout = drainTimeout;
  }

  /** How a container ended. */
  record Ending(SandboxOutcome outcome, int exitCode, long durationMillis) {}

  /** How often a running container is checked against the limits Docker does not enforce. */
  static final long POLL_MILLIS = 100;

  Ending run(
      String containerId,
      long timeoutSeconds,
      StepOutput output,
      Preflight.Capture preflight,
      LimitWatch limits,
      ActivityContext context)
      throws InterruptedException {
    FrameSink frames = new FrameSink(output, preflight);
    ExitWatch exit = new ExitWatch();
    try {
      // Attach before start, so not a byte is missed; the container has no log driver.
      docker
          .attachContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(true)
          .withLogs(false)
          .exec(frames);
      if (!frames.awaitOpened(drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new DockerClientException("could not attach to the container within " + drainTimeout);
      }
      docker.startContainerCmd(containerId).exec();
      long started = System.nanoTime();
      context.heartbeat(containerId);
      docker.waitContainerCmd(containerId).exec(exit);
      SandboxOutcome stopped = awaitExit(exit, started, timeoutSeconds, containerId, limits, context);
      if (stopped != null) {
        kill(containerId);
        exit.awaitEnd(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (!frames.awaitEnd(drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("output of container {} did not end within {}", containerId, drainTimeout);
      }
      output.finish();
      ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
      SandboxOutcome outcome = outcome(stopped, state, containerId, limits);
      return new Ending(outcome, exitCode(state, exit), durationMillis);
    } finally {
      exit.closeQuietly();
      frames.closeQuietly();
    }
  }

  /**
   * What ended the container: the limit Forge stopped it at, else the OOM killer, else a limit it
   * went past just before it exited by itself.
   */
  private static SandboxOutcome outcome(
      SandboxOutcome stopped, ContainerState state, String containerId, LimitWatch limits) {
    if (stopped != null) {
      return stopped;
    }
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      return SandboxOutcome.OOM_KILLED;
    }
    return limits.breached(containerId).orElse(SandboxOutcome.EXITED);
  }

  private static int exitCode(ContainerState state, ExitWatch exit) {
    if (state.getExitCodeLong() != null && !Boolean.TRUE.equals(state.getRunning())) {
      return state.getExitCodeLong().intValue();
    }
    return exit.statusCode == null ? -1 : exit.statusCode;
  }

  /**
   * Waits for the exit, heartbeating and checking the limits; returns {@code null} when the
   * container exited by itself, else the limit it must be stopped at.
   */
  private SandboxOutcome awaitExit(
      ExitWatch exit,
      long started,
      long timeoutSeconds,
      String containerId,
      LimitWatch limits,
      ActivityContext context)
      throws InterruptedException {
    long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long beat = heartbeatInterval.toNanos();
    long nextBeat = System.nanoTime() + beat;
    while (true) {
      long now = System.nanoTime();
      long remaining = deadline - now;
      if (remaining <= 0) {
        return SandboxOutcome.TIMED_OUT;
      }
      long wait = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
      if (exit.awaitEnd(wait, TimeUnit.NANOSECONDS)) {
        if (exit.statusCode == null) {
          throw new DockerClientException("the wait for container " + containerId + " ended early");
        }
        return null;
      }
      Optional<SandboxOutcome> breach = limits.breached(containerId);
      if (breach.isPresent()) {
        log.info("container {} went past a limit: {}", containerId, breach.get());
        return breach.get();
      }
      if (System.nanoTime() - nextBeat >= 0) {
        // Throws ActivityCompletionException once the activity is cancelled or timed out.
        context.heartbeat(containerId);
        nextBeat = System.nanoTime() + beat;
      }
    }
  }

  private void kill(String containerId) {
    try {
      docker.killContainerCmd(containerId).exec();
    } catch (ConflictException | NotFoundException alreadyEnded) {
      // It ended just as the limit was reached.
    }
  }

  /** Passes Docker's multiplexed frames on to the step's output. */
  private static final class FrameSink extends DockerStream<Frame> {

    private final StepOutput output;
    private final Preflight.Capture preflight;

    FrameSink(StepOutput output, Preflight.Capture preflight) {
      this.output = output;
      this.preflight = preflight;
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      if (payload == null || payload.length == 0) {
        return;
      }
      if (frame.getStreamType() == StreamType.STDERR) {
        output.stderr(payload);
      } else {
        byte[] own = preflight.take(payload);
        if (own.length > 0) {
          output.stdout(own);
        }
      }
    }
  }

  /** The container's exit status, once Docker reports it. */
  private static final class ExitWatch extends DockerStream<WaitResponse> {

    private volatile Integer statusCode;

    @Override
    public void onNext(WaitResponse response) {
      statusCode = response.getStatusCode();
    }
  }
}
