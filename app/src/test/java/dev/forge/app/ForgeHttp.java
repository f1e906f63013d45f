package dev.forge.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Real HTTP calls to the running application, as a user with a bearer token. */
final class ForgeHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String token;
  private final Duration timeout;

  ForgeHttp(URI base, String token) {
    this(base, token, Duration.ofSeconds(60));
  }

  /** With {@code timeout} per request (an unanswered request fails with an AssertionError). */
  ForgeHttp(URI base, String token, Duration timeout) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
  }

  record Answer(int status, String contentType, String body, String retryAfter) {

    Answer(int status, String contentType, String body) {
      this(status, contentType, body, null);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  Answer get(String path) {
    return send(builder(path).GET());
  }

  Answer post(String path, Object body) {
    try {
      return postRaw(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** An admin action: the first request answers 428 with a confirmation, the second confirms. */
  Answer postConfirmed(String path, Object body) {
    Answer first = post(path, body);
    if (first.status() != 428) {
      throw new AssertionError("expected 428 asking for confirmation, got " + first.status() + " "
          + first.body());
    }
    try {
      return send(builder(path).header("Content-Type", "application/json")
          .header("Forge-Confirmation", first.json().get("confirmation").asText())
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  Answer postRaw(String path, String body) {
    return send(builder(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  JsonNode awaitStatus(String loopId, Predicate<JsonNode> condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Answer answer = get("/api/loops/" + loopId);
      if (answer.status() == 200) {
        last = answer.json();
        if (condition.test(last)) {
          return last;
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("loop " + loopId + " never reached the expected state; last: " + last);
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""), response.body(),
          response.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
