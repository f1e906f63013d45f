package dev.forge.activities.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming Docker response that can be waited on repeatedly.
 *
 * <p>docker-java's own {@code ResultCallbackTemplate.awaitCompletion(timeout, unit)} closes the
 * stream when it returns, timed out or not, so it cannot be used to wait in slices between
 * heartbeats; these latches can.
 */
abstract class DockerStream<T> extends ResultCallback.Adapter<T> {

  private static final Logger log = LoggerFactory.getLogger(DockerStream.class);

  private static final long SLICE_MILLIS = 20;

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Throwable error;
  private volatile boolean closing;

  @Override
  public void onStart(Closeable stream) {
    super.onStart(stream);
    started.countDown();
  }

  @Override
  public void onComplete() {
    ended.countDown();
    closeQuietly();
  }

  @Override
  public void onError(Throwable throwable) {
    if (!closing) {
      error = throwable;
    }
    ended.countDown();
    closeQuietly();
  }

  /**
   * Whether the response started within the timeout. Returns early, rethrowing its error, when
   * the request failed before it started.
   */
  boolean awaitOpened(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!started.await(SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
      if (awaitEnd(0, TimeUnit.NANOSECONDS) || System.nanoTime() > deadline) {
        return false;
      }
    }
    return true;
  }

  /** Whether the stream ended within the timeout; an error that ended it is rethrown. */
  boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    boolean done = ended.await(timeout, unit);
    Throwable failure = error;
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure != null) {
      throw new DockerClientException("Docker stream failed: " + failure, failure);
    }
    return done;
  }

  void closeQuietly() {
    closing = true;
    try {
      close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing a Docker stream failed: {}", e.toString());
    }
  }
}
