package dev.forge.workflows.loop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Deliberately broken "workflow" code, kept in test sources only, so that {@code
 * ArchitectureTest} can show each determinism rule rejects it.
 */
public final class ForbiddenWorkflowCode {

  static int counter;

  long readsTheWallClock() {
    return System.currentTimeMillis();
  }

  boolean touchesFiles() {
    return Files.exists(Path.of("/tmp"));
  }

  void startsThreads() {
    new Thread(() -> {}).start();
    Executors.newSingleThreadExecutor().shutdown();
  }
}
