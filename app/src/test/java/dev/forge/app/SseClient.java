package dev.forge.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads a Server-Sent Events stream over real HTTP, line by line. */
final class SseClient implements AutoCloseable {

  /** One event: its SSE id ({@code <n>} or {@code <n>:<audit entry id>}), name and JSON data. */
  record Event(String sseId, String name, JsonNode data) {

    /** The id's first part: the status event it is at or after. */
    long id() {
      return Long.parseLong(sseId.split(":")[0]);
    }
  }

  private final HttpResponse<InputStream> response;
  private final BufferedReader reader;
  private final List<String> comments = new ArrayList<>();
  private boolean ended;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  static SseClient open(int port, String token, String path, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Accept", "text/event-stream").GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      return new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The whole body, for an answer that is not a stream (a problem). */
  JsonNode problem() {
    try (InputStream body = response.body()) {
      return ForgeHttp.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> comments() {
    return comments;
  }

  boolean ended() {
    return ended;
  }

  /** Reads events until the server ends the stream. */
  List<Event> readToEnd(Duration limit) {
    return readUntil(e -> false, limit);
  }

  /**
   * Reads events until one satisfies {@code last} (it is included) or the stream ends; fails when
   * neither happens within {@code limit}.
   */
  List<Event> readUntil(Predicate<Event> last, Duration limit) {
    CompletableFuture<List<Event>> read = CompletableFuture.supplyAsync(() -> read(last));
    try {
      return read.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      close();
      throw new AssertionError("the event stream did not get there within " + limit);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<Event> read(Predicate<Event> last) {
    List<Event> events = new ArrayList<>();
    String id = null;
    String name = null;
    StringBuilder data = new StringBuilder();
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (name != null || data.length() > 0) {
            Event event = new Event(id, name, ForgeHttp.JSON.readTree(data.toString()));
            events.add(event);
            id = null;
            name = null;
            data.setLength(0);
            if (last.test(event)) {
              return events;
            }
          }
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).strip());
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
        }
      }
      ended = true;
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already gone
    }
  }
}
