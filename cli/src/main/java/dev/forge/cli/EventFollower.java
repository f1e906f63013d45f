package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code loops events <id>}: follows {@code GET /api/loops/{id}/events} (Server-Sent Events) and
 * prints one line per event until {@code terminal}. When the stream breaks before that, it
 * reconnects with {@code Last-Event-ID} (the last id it printed), so nothing is printed twice
 * and nothing is missed; a 204 means the loop had ended by then. It gives up after {@code
 * maxRetries} reconnections in a row that brought no new event.
 */
final class EventFollower {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI server;
  private final String token;
  private final PrintStream out;
  private final PrintStream err;
  private final Duration retryDelay;
  private final int maxRetries;

  private String lastEventId;
  private boolean terminal;

  EventFollower(URI server, String token, PrintStream out, PrintStream err, Duration retryDelay,
      int maxRetries) {
    this.server = server;
    this.token = token;
    this.out = out;
    this.err = err;
    this.retryDelay = retryDelay;
    this.maxRetries = maxRetries;
  }

  int follow(String loopId) {
    URI uri = server.resolve("api/loops/" + loopId + "/events");
    int fruitless = 0;
    while (true) {
      String before = lastEventId;
      String broken = connect(uri);
      if (terminal) {
        return 0;
      }
      fruitless = java.util.Objects.equals(before, lastEventId) ? fruitless + 1 : 0;
      if (fruitless > maxRetries) {
        throw new CliException("the event stream of " + loopId + " keeps breaking (" + broken
            + "); gave up after " + maxRetries + " reconnections");
      }
      err.println("forge: event stream interrupted (" + broken + "); reconnecting"
          + (lastEventId == null ? "" : " after event " + lastEventId));
      sleep();
    }
  }

  /** One connection: null when it ended at {@code terminal}, else why it broke. */
  private String connect(URI uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "text/event-stream, application/problem+json")
        .GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return "cannot reach Forge at " + server + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    if (response.statusCode() == 204) {
      terminal = true;
      if (lastEventId == null) {
        out.println("the loop has ended; nothing more to follow");
      }
      return null;
    }
    if (response.statusCode() != 200) {
      throw new CliException(problem(response));
    }
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      read(lines);
      return terminal ? null : "the stream ended before the loop did";
    } catch (IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  /** Reads events (fields up to a blank line) until the stream or {@code terminal} ends. */
  private void read(BufferedReader lines) throws IOException {
    String event = "message";
    String id = null;
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data.length() > 0 || id != null) {
          dispatch(event, id, data.toString());
          if (terminal) {
            return;
          }
        }
        event = "message";
        id = null;
        data.setLength(0);
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        switch (field) {
          case "event" -> event = value;
          case "id" -> id = value;
          case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
          default -> { }
        }
      }
    }
  }

  private void dispatch(String event, String id, String data) {
    if (id != null) {
      lastEventId = id;
    }
    out.println(EventLines.line(event, parse(data)));
    out.flush();
    if (event.equals("terminal")) {
      terminal = true;
    }
  }

  private static JsonNode parse(String data) {
    try {
      return JSON.readTree(data.isEmpty() ? "{}" : data);
    } catch (IOException e) {
      return JSON.getNodeFactory().objectNode().put("data", data);
    }
  }

  private static String problem(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      JsonNode problem = JSON.readTree(body.readNBytes(64 * 1024));
      JsonNode detail = problem == null ? null : problem.get("detail");
      return "HTTP " + response.statusCode() + (detail == null ? "" : ": " + detail.asText());
    } catch (IOException e) {
      return "HTTP " + response.statusCode();
    }
  }

  private void sleep() {
    try {
      Thread.sleep(retryDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
