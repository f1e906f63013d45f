package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.TestPropertySource;

/**
 * Slow and greedy clients through real sockets: a slowloris (one byte of its head a second) is cut
 * off once its head takes longer than {@code forge.api.http.request-head-timeout}; a client
 * holding {@code forge.api.http.max-connections-per-address} connections has any further one
 * closed at once, and is served again once it closes one; keep-alive and event streams, which
 * last long after their head arrived, are not touched. Bounds in this context: a head in 1 s, 3
 * connections per address.
 */
@TestPropertySource(properties = {
    "forge.api.http.request-head-timeout=1s",
    "forge.api.http.max-connections-per-address=3"
})
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlowClientIT extends ForgeIT {

  @Test
  void shouldCutOffASlowlorisOnceItsHeadTakesLongerThanTheTimeout() throws Exception {
    // given a client that sends its head one byte a second, as the attack did
    byte[] head = "GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    long started = System.nanoTime();
    boolean cut = false;

    // when it trickles
    try (Socket socket = connect("127.0.0.80")) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int i = 0; i < head.length && !cut; i++) {
        try {
          out.write(head[i]);
          out.flush();
          cut = in.read() < 0; // waits up to a second for anything from the server
        } catch (SocketTimeoutException stillOpen) {
          // nothing yet: next byte
        } catch (IOException reset) {
          cut = true;
        }
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

    // then the server closed it within the bound (1 s, plus a sweep and a byte's interval), long
    // before the head was complete
    assertThat(cut).as("closed by the server").isTrue();
    assertThat(seconds).isLessThan(6);
    assertThat(new RawHttp(port, "127.0.0.80").get("/actuator/health", null).status())
        .as("the same address is served when it sends its head at once").isEqualTo(200);
  }

  @Test
  void shouldRefuseConnectionsBeyondThePerAddressLimitAndServeAgainOnceOneCloses() throws Exception {
    // given a client holding three idle connections
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(connect("127.0.0.81"));
    }
    Thread.sleep(300);

    try {
      // when it opens a fourth
      boolean refused;
      try (Socket fourth = connect("127.0.0.81")) {
        fourth.setSoTimeout(3000);
        long started = System.nanoTime();
        refused = readsEndOfStream(fourth);
        // then it is closed at once, without an answer
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
      }
      assertThat(refused).as("the fourth connection is closed by the server").isTrue();
      assertThat(new RawHttp(port, "127.0.0.82").get("/actuator/health", null).status())
          .as("another address is not affected").isEqualTo(200);

      // and once it closes one, a normal request of its own is served
      held.remove(0).close();
      int status = -1;
      for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
        Thread.sleep(100);
        status = healthFrom("127.0.0.81");
      }
      assertThat(status).isEqualTo(200);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void shouldKeepAnIdleKeepAliveConnectionOpenLongerThanTheHeadTimeout() throws Exception {
    try (Socket socket = connect("127.0.0.83")) {
      socket.setSoTimeout(10_000);
      byte[] request = "GET /actuator/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
      socket.getOutputStream().write(request);
      assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200");

      // idle between requests for three times the head timeout
      Thread.sleep(3000);

      socket.getOutputStream().write(request);
      assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void shouldStreamALoopsEventsForLongerThanTheHeadTimeout() throws Exception {
    Path repo = newRepository();
    String loopId = as("dev").post("/api/loops", java.util.Map.of("repository", repo.toString(),
        "goal", "count", "config", scriptedLoop(repo, 2, List.of()))).json().get("loopId").asText();
    long started = System.nanoTime();

    try (SseClient stream = events("dev", loopId, null)) {
      List<SseClient.Event> events = stream.readToEnd(Duration.ofMinutes(2));

      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.ended()).isTrue();
      assertThat(events).extracting(SseClient.Event::name).endsWith("terminal");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
  }

  private int healthFrom(String address) {
    try {
      return new RawHttp(port, address).get("/actuator/health", null).status();
    } catch (AssertionError refused) {
      return -1;
    }
  }

  private Socket connect(String from) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return socket;
  }

  private static boolean readsEndOfStream(Socket socket) {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** The head and as much of the body as has arrived; enough to see the status line. */
  /**
   * One whole answer, however TCP splits it: its head, then a chunked body to its last chunk or a
   * body of its Content-Length, so that the next read starts at the next answer.
   */
  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder answer = new StringBuilder();
    byte[] buffer = new byte[8192];
    while (!complete(answer.toString())) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
    return answer.toString();
  }

  private static boolean complete(String answer) {
    int headEnd = answer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    String head = answer.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    if (head.contains("transfer-encoding: chunked")) {
      return answer.endsWith("\r\n0\r\n\r\n") || answer.endsWith("\r\n\r\n0\r\n\r\n");
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("content-length: *([0-9]+)").matcher(head);
    return !length.find() || answer.length() >= headEnd + 4 + Integer.parseInt(length.group(1));
  }
}
