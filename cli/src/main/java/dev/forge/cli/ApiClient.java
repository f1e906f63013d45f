package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client for Forge's REST API; one instance per identity (token). */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI server;
  private final String token;

  ApiClient(URI server, String token) {
    this.server = server;
    this.token = token;
  }

  /** A response; {@code body} is the parsed JSON (a problem object for errors). */
  record Response(int status, JsonNode body, String raw) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The problem's detail for error responses, for printing. */
    String problem() {
      JsonNode detail = body == null ? null : body.get("detail");
      return "HTTP " + status + (detail == null ? "" : ": " + detail.asText());
    }
  }

  Response get(String path) {
    return send(request(path).GET().build());
  }

  Response post(String path, Object body) {
    return post(path, body, Map.of());
  }

  /** POST with extra request headers (e.g. the confirmation of an admin action). */
  Response post(String path, Object body, Map<String, String> headers) {
    String json;
    try {
      json = body == null ? "" : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize the request body", e);
    }
    HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request.build());
  }

  /** GET, failing with the problem's detail unless the answer is 2xx. */
  JsonNode getOk(String path) {
    Response response = get(path);
    if (!response.ok()) {
      throw new CliException(response.problem());
    }
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(server.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json, application/problem+json");
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      JsonNode body = raw == null || raw.isBlank() ? null : parse(raw);
      return new Response(response.statusCode(), body, raw);
    } catch (IOException e) {
      throw new CliException("cannot reach Forge at " + server + " (" + e.getMessage()
          + "); is it running? Start it with ./forge up");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private static JsonNode parse(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      return null;
    }
  }
}
