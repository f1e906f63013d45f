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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a created container to its end: streams its output, enforces the wall-clock limit, and
 * heartbeats while it waits. Cancellation surfaces as the exception the heartbeat throws; the
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

  Ending run(String containerId, long timeoutSeconds, StepOutput output, ActivityContext context)
      throws InterruptedException {
    FrameSink frames = new FrameSink(output);
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
      boolean timedOut = !awaitExit(exit, started, timeoutSeconds, containerId, context);
      if (timedOut) {
        kill(containerId);
        exit.awaitEnd(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (!frames.awaitEnd(drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("output of container {} did not end within {}", containerId, drainTimeout);
      }
      output.finish();
      ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
      return new Ending(outcome(timedOut, state), exitCode(state, exit), durationMillis);
    } finally {
      exit.closeQuietly();
      frames.closeQuietly();
    }
  }

  private static SandboxOutcome outcome(boolean timedOut, ContainerState state) {
    if (timedOut) {
      return SandboxOutcome.TIMED_OUT;
    }
    return Boolean.TRUE.equals(state.getOOMKilled())
        ? SandboxOutcome.OOM_KILLED
        : SandboxOutcome.EXITED;
  }

  private static int exitCode(ContainerState state, ExitWatch exit) {
    if (state.getExitCodeLong() != null && !Boolean.TRUE.equals(state.getRunning())) {
      return state.getExitCodeLong().intValue();
    }
    return exit.statusCode == null ? -1 : exit.statusCode;
  }

  /** Waits for the exit, heartbeating; false when the wall-clock limit came first. */
  private boolean awaitExit(
      ExitWatch exit, long started, long timeoutSeconds, String containerId, ActivityContext context)
      throws InterruptedException {
    long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long beat = heartbeatInterval.toNanos();
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      if (exit.awaitEnd(Math.min(remaining, beat), TimeUnit.NANOSECONDS)) {
        if (exit.statusCode == null) {
          throw new DockerClientException("the wait for container " + containerId + " ended early");
        }
        return true;
      }
      // Throws ActivityCompletionException once the activity is cancelled or timed out.
      context.heartbeat(containerId);
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

    FrameSink(StepOutput output) {
      this.output = output;
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
        output.stdout(payload);
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
