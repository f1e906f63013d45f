package dev.forge.activities.sandbox.egress;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads what a container logged so far ({@code docker logs}, not following), one line at a time. A
 * line longer than {@link #MAX_LINE} is cut there.
 */
final class ContainerLogLines extends ResultCallback.Adapter<Frame> {

  static final int MAX_LINE = 8192;

  private final Consumer<String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean cut;

  private ContainerLogLines(Consumer<String> lines) {
    this.lines = lines;
  }

  /** Passes every complete line (and a last unterminated one) to {@code lines}. */
  static void read(
      DockerClient docker,
      String containerId,
      boolean stdout,
      boolean stderr,
      Duration timeout,
      Consumer<String> lines)
      throws InterruptedException {
    ContainerLogLines reader = new ContainerLogLines(lines);
    try (reader) {
      docker
          .logContainerCmd(containerId)
          .withStdOut(stdout)
          .withStdErr(stderr)
          .withFollowStream(false)
          .withTimestamps(false)
          .withTailAll()
          .exec(reader);
      if (!reader.awaitCompletion(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new DockerClientException(
            "the logs of container " + containerId + " did not arrive within " + timeout);
      }
    } catch (java.io.IOException e) {
      throw new DockerClientException("could not close the log stream of " + containerId, e);
    }
    reader.flush();
  }

  /** The last {@code count} lines, for error messages. */
  static List<String> tail(DockerClient docker, String containerId, int count, Duration timeout)
      throws InterruptedException {
    List<String> all = new ArrayList<>();
    read(
        docker,
        containerId,
        true,
        true,
        timeout,
        line -> {
          all.add(line);
          if (all.size() > count) {
            all.remove(0);
          }
        });
    return all;
  }

  @Override
  public void onNext(Frame frame) {
    byte[] payload = frame.getPayload();
    if (payload == null) {
      return;
    }
    synchronized (pending) {
      for (byte b : payload) {
        if (b == '\n') {
          emit();
        } else if (pending.size() < MAX_LINE) {
          pending.write(b);
        } else {
          cut = true;
        }
      }
    }
  }

  private void flush() {
    synchronized (pending) {
      if (pending.size() > 0 || cut) {
        emit();
      }
    }
  }

  private void emit() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    cut = false;
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    lines.accept(line);
  }
}
