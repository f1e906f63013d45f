package dev.forge.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits until the server's health endpoint answers UP. */
final class Ready {

  private Ready() {}

  static int await(URI server, int seconds, PrintStream err) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(server.resolve("actuator/health"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    do {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return 0;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    } while (System.nanoTime() < deadline);
    err.println("forge: " + server + " did not become healthy within " + seconds + " s");
    return 1;
  }
}
