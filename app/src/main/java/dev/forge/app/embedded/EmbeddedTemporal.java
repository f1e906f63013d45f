package dev.forge.app.embedded;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server, in process, on the real clock, bound to 127.0.0.1 only. State lives
 * in memory: a restart forgets every workflow.
 *
 * <p>{@code TestServer.createPortBoundServer} would listen on every interface, which would expose
 * an unauthenticated Temporal to the network and to Docker containers on the bridge; so the same
 * services are registered here on a loopback-only gRPC server.
 */
final class EmbeddedTemporal implements AutoCloseable {

  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts on {@code port} (0 for any free port), with time skipping locked: a real clock. */
  static EmbeddedTemporal start(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new EmbeddedTemporal(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot start the embedded Temporal server on 127.0.0.1:"
          + port + " (is another Forge or Temporal running?)", e);
    }
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    services.close();
  }
}
