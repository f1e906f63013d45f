package dev.forge.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Reads a stopped test container's output (json-file log driver). */
final class ContainerLogs {

  private ContainerLogs() {}

  static String read(DockerClient docker, String id) throws InterruptedException {
    StringBuilder text = new StringBuilder();
    DockerStream<Frame> frames = new DockerStream<>() {
      @Override
      public void onNext(Frame frame) {
        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
      }
    };
    docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(frames);
    frames.awaitEnd(30, TimeUnit.SECONDS);
    return text.toString();
  }
}
