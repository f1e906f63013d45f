package dev.forge.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The embedded Temporal server listens on loopback only: not on the host's other addresses, and
 * so not on the Docker bridge a sandbox could reach.
 */
class EmbeddedTemporalTest {

  @Test
  void shouldAcceptConnectionsOnLoopbackOnly() throws IOException {
    Optional<InetAddress> other = nonLoopbackAddress();
    assumeThat(other).as("this host has a non-loopback IPv4 address").isPresent();

    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      int port = Integer.parseInt(temporal.target().substring(temporal.target().lastIndexOf(':') + 1));

      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        assertThat(loopback.isConnected()).isTrue();
      }
      assertThatThrownBy(() -> {
        try (Socket outside = new Socket()) {
          outside.connect(new InetSocketAddress(other.get(), port), 2000);
        }
      }).isInstanceOf(ConnectException.class);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
