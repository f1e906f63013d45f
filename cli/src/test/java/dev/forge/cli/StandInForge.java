package dev.forge.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Forge's API on a loopback port: answers each request with what the test's
 * {@link Handler} says, and keeps every request it saw. Runs the CLI against itself.
 */
final class StandInForge implements AutoCloseable {

  static final String TOKEN = "forge_test-token-never-printed";

  record Seen(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  record Answer(int status, String contentType, String body) {
    static Answer json(int status, String body) {
      return new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body);
    }
  }

  /** What to answer; may write the exchange itself (a stream) and return null. */
  interface Handler {
    Answer answer(Seen request, HttpExchange exchange) throws IOException;
  }

  record Result(int code, String out, String err) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  StandInForge(Handler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          Map.copyOf(exchange.getRequestHeaders()),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      seen.add(request);
      Answer answer = handler.answer(request, exchange);
      if (answer != null) {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of(
        "FORGE_SERVER", "http://127.0.0.1:" + server.getAddress().getPort(),
        "FORGE_TOKEN", TOKEN);
    int code = ForgeCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
