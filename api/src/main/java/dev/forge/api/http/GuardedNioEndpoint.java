package dev.forge.api.http;

import dev.forge.api.security.ClientAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.Constants;
import org.apache.coyote.Processor;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO endpoint with two bounds it lacks: connections per client address (a connection
 * over the limit is closed on the acceptor thread, before any request thread sees it) and the time
 * to receive a whole request head (a watchdog shuts down the input side of a connection whose head
 * is still incomplete after the limit: Tomcat then reads end-of-stream and closes it itself, so
 * its own connection count stays right).
 */
final class GuardedNioEndpoint extends NioEndpoint {

  private static final Logger log = LoggerFactory.getLogger(GuardedNioEndpoint.class);

  private volatile ConnectionsPerAddress<SocketChannel> perAddress = new ConnectionsPerAddress<>(64);
  private volatile long headTimeoutMillis = 10_000;
  private volatile ScheduledExecutorService watchdog;

  void setMaxConnectionsPerAddress(int limit) {
    perAddress = new ConnectionsPerAddress<>(limit);
  }

  void setRequestHeadTimeoutMillis(long millis) {
    headTimeoutMillis = millis;
  }

  @Override
  protected boolean setSocketOptions(SocketChannel socket) {
    String address = address(socket);
    if (!perAddress.acquire(socket, address)) {
      log.warn("refused a connection from {}: it holds the most connections one address may", address);
      // No wrapper exists for it, so the acceptor's close would not reach it: closed (and
      // Tomcat's connection count taken back) here.
      destroySocket(socket);
      return false;
    }
    boolean accepted = super.setSocketOptions(socket);
    if (!accepted) {
      perAddress.release(socket);
    }
    return accepted;
  }

  @Override
  public void setHandler(Handler<NioChannel> handler) {
    super.setHandler(new Releasing(handler));
  }

  @Override
  public void startInternal() throws Exception {
    super.startInternal();
    stopWatchdog(); // Spring Boot may start the connector more than once
    SlowHeads<SocketWrapperBase<NioChannel>> heads = new SlowHeads<>(headTimeoutMillis);
    long every = Math.max(50, Math.min(1000, headTimeoutMillis / 4));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "forge-http-head-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        heads.sweep(connections.values(), GuardedNioEndpoint::readingHead, System.currentTimeMillis(),
            this::cutOff);
      } catch (RuntimeException e) {
        log.warn("the request head watchdog failed a sweep", e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
    watchdog = timer;
  }

  @Override
  public void stopInternal() {
    stopWatchdog();
    super.stopInternal();
  }

  private void stopWatchdog() {
    ScheduledExecutorService timer = watchdog;
    watchdog = null;
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * Whether the connection is waiting for the rest of a head it has begun. Tomcat keeps a
   * processor on a connection between requests only for that (an incomplete head), for an async
   * request (an event stream) and for an upgrade; a connection idle between keep-alive requests,
   * or being served on a worker thread, has none attached.
   */
  private static boolean readingHead(SocketWrapperBase<NioChannel> wrapper) {
    if (!(wrapper.getCurrentProcessor() instanceof Processor processor)
        || processor.isAsync() || processor.isUpgrade()) {
      return false;
    }
    int stage = processor.getRequest().getRequestProcessor().getStage();
    return stage == Constants.STAGE_PARSE || stage == Constants.STAGE_ENDED;
  }

  private void cutOff(SocketWrapperBase<NioChannel> wrapper) {
    log.warn("closing a connection from {}: its request head took longer than {} ms",
        wrapper.getRemoteAddr(), headTimeoutMillis);
    try {
      wrapper.getSocket().getIOChannel().shutdownInput();
    } catch (IOException | RuntimeException e) {
      log.debug("the connection was gone already", e);
    }
  }

  private static String address(SocketChannel socket) {
    try {
      return socket.getRemoteAddress() instanceof InetSocketAddress inet
          ? ClientAddress.key(inet.getAddress().getHostAddress()) : "local";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Tomcat's connection handler, and the per-address count released when a connection closes. */
  private final class Releasing implements Handler<NioChannel> {

    private final Handler<NioChannel> handler;

    Releasing(Handler<NioChannel> handler) {
      this.handler = handler;
    }

    @Override
    public SocketState process(SocketWrapperBase<NioChannel> socket, SocketEvent status) {
      return handler.process(socket, status);
    }

    @Override
    public Object getGlobal() {
      return handler.getGlobal();
    }

    @Override
    public void release(SocketWrapperBase<NioChannel> socketWrapper) {
      try {
        handler.release(socketWrapper);
      } finally {
        perAddress.release(socketWrapper.getSocket().getIOChannel());
      }
    }

    @Override
    public void pause() {
      handler.pause();
    }

    @Override
    public void recycle() {
      handler.recycle();
    }
  }
}
