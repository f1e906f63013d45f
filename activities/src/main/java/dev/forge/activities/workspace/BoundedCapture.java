package dev.forge.activities.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a process stream on its own thread and keeps at most {@code limit} bytes of it. The rest
 * is read and dropped so that the process never blocks on a full pipe.
 */
final class BoundedCapture implements Runnable {

  private final InputStream in;
  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long total;
  private IOException failure;

  BoundedCapture(InputStream in, int limit) {
    this.in = in;
    this.limit = limit;
  }

  /** Starts draining on a daemon thread. */
  Thread start(String name) {
    Thread thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        synchronized (this) {
          int room = (int) Math.max(0, Math.min(n, limit - total));
          kept.write(buffer, 0, room);
          total += n;
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        failure = e;
      }
    }
  }

  synchronized boolean truncated() {
    return total > limit;
  }

  synchronized IOException failure() {
    return failure;
  }

  synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }
}
