package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.api.security.Endpoint;
import dev.forge.api.security.Endpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A generated fuzz run through real HTTP: {@value #DEFAULT_REQUESTS} (or {@code
 * -Dforge.fuzz.requests}) malformed requests spread over every endpoint of {@link Endpoints#ALL} —
 * ids that are junk, too long, traversals or a real ended loop; bodies of the wrong type, with
 * unknown or duplicated keys, deeply nested, truncated, not JSON or not UTF-8; unexpected methods,
 * content types, query parameters and tokens, and two Authorization headers; and, sent raw, request
 * lines and heads an ordinary client would not send. None may be answered with a 5xx (but the
 * 501/505 of a raw request) or leak an internal name, and every answer carries the security headers. The seed
 * is printed (and taken from {@code -Dforge.fuzz.seed}), so a failing run can be repeated. Limits
 * are raised in this context so that requests reach the endpoints instead of the rate limiter.
 */
@TestPropertySource(properties = {
    "forge.api.rate-limit.token-requests=1000000",
    "forge.api.rate-limit.address-requests=1000000",
    "forge.api.lockout.max-failures=1000000"
})
class ApiFuzzIT extends ForgeIT {

  static final int DEFAULT_REQUESTS = 10_000;
  private static final List<String> INTERNALS = List.of("Exception", "dev.forge", "springframework",
      "\tat ", "Caused by", "jakarta.");
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"};
  private static final String[] CONTENT_TYPES = {"application/json", "text/plain",
      "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/xml",
      "multipart/form-data; boundary=x"};

  @Test
  void shouldAnswerThousandsOfMalformedRequestsWithoutA5xxOrALeak() throws Exception {
    // a real loop that has ended, so some requests reach a real workflow
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String realLoop = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "count",
        "config", scriptedLoop(repo, 1, List.of()))).json().get("loopId").asText();
    dev.awaitStatus(realLoop, ForgeHttpStates::terminal, Duration.ofMinutes(2));

    long seed = Long.getLong("forge.fuzz.seed", System.nanoTime());
    int requests = Integer.getInteger("forge.fuzz.requests", DEFAULT_REQUESTS);
    Random random = new Random(seed);
    List<String> tokens = new ArrayList<>(List.of(token("dev"), token("lead"), token("admin"),
        "", "Bearer", "fgt_" + "A".repeat(12) + "_" + "b".repeat(43), "not a token", "ÿ\u0000x"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();

    for (int i = 0; i < requests; i++) {
      Endpoint endpoint = Endpoints.ALL.get(random.nextInt(Endpoints.ALL.size()));
      String method = random.nextInt(5) == 0 ? METHODS[random.nextInt(METHODS.length)]
          : endpoint.method().name();
      String path = path(endpoint.pattern(), realLoop, random) + query(random);
      byte[] body = body(random, repo);
      HttpRequest.Builder request;
      try {
        request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
      } catch (IllegalArgumentException notAUri) {
        continue;
      }
      if (random.nextInt(4) != 0) {
        request.header("Content-Type", CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]);
      }
      String token = tokens.get(random.nextInt(tokens.size()));
      if (!token.isEmpty() && token.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        request.header("Authorization", "Bearer " + token);
      }
      if (random.nextInt(15) == 0) {
        request.header("Authorization", "Bearer " + tokens.get(random.nextInt(3)));
      }
      if (random.nextInt(10) == 0) {
        request.header("Last-Event-ID", random.nextBoolean() ? "-1" : "9".repeat(40));
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        failures.add(method + " " + path + ": no answer (" + e.getMessage() + ")");
        continue;
      }
      statuses.merge(response.statusCode(), 1, Integer::sum);
      String missing = missingSecurityHeader(name -> response.headers().firstValue(name).orElse(null));
      if (missing != null) {
        failures.add(method + " " + path + " → " + response.statusCode() + " without " + missing);
      }
      if (random.nextInt(40) == 0) {
        raw(random, failures);
      }
      if (response.statusCode() >= 500) {
        failures.add(method + " " + path + " → " + response.statusCode() + " " + response.body());
      }
      for (String internal : INTERNALS) {
        if (response.body().contains(internal) && !path.contains(internal)) {
          failures.add(method + " " + path + " leaks '" + internal + "': " + response.body());
        }
      }
    }

    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("fuzz: %d requests (seed %d) in %d ms; statuses %s%n", requests, seed,
        millis, statuses);
    assertThat(failures).as("seed %d", seed).isEmpty();
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThanOrEqualTo(requests * 99 / 100);
  }

  private static final String[] RAW_HEADS = {
      "GET //api/loops HTTP/1.1", "TRACE /api/loops HTTP/1.1", "FROB /api/loops HTTP/1.1",
      "GET /api/loops/%ZZ HTTP/1.1", "GET /api/loops HTTP/9.9", "CONNECT 127.0.0.1:22 HTTP/1.1",
      "\u0001\u0002 \u007f HTTP/1.1", "GET /api/\u0007loops HTTP/1.1", "GET /../x HTTP/1.1",
      "GET /api/loops?" + "a=1&".repeat(5000) + " HTTP/1.1"};

  /** A raw request of a kind an ordinary client would not send; refused, with the headers. */
  private void raw(Random random, List<String> failures) {
    String line = RAW_HEADS[random.nextInt(RAW_HEADS.length)];
    String extra = random.nextBoolean() ? "X-Big: " + "a".repeat(random.nextInt(70_000)) + "\r\n" : "";
    byte[] head = (line + "\r\nHost: x\r\n" + extra + "Connection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    RawHttp.Response answer = new RawHttp(port, "127.0.0.1").exchange(head, new byte[0]);
    String what = "raw " + line.substring(0, Math.min(40, line.length()));
    String missing = missingSecurityHeader(answer::header);
    if (missing != null) {
      failures.add(what + " → " + answer.status() + " without " + missing);
    }
    if (answer.status() >= 500 && answer.status() != 501 && answer.status() != 505) {
      failures.add(what + " → " + answer.status() + " " + answer.body());
    }
    for (String internal : INTERNALS) {
      if (answer.body().contains(internal)) {
        failures.add(what + " leaks '" + internal + "': " + answer.body());
      }
    }
  }

  /** The first security header an answer lacks, or null when it has them all. */
  private static String missingSecurityHeader(java.util.function.Function<String, String> header) {
    Map<String, String> expected = Map.of(
        "X-Content-Type-Options", "nosniff",
        "X-Frame-Options", "DENY",
        "Referrer-Policy", "no-referrer",
        "Content-Security-Policy", "default-src 'none'");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String value = header.apply(e.getKey());
      if (value == null || !value.startsWith(e.getValue())) {
        return e.getKey();
      }
    }
    return null;
  }

  @Test
  void shouldRefuseAFormBodyBeforeAnythingParsesIt() throws Exception {
    // what the fuzz run found: an undecodable form body failed in the container's parameter
    // parsing with a 500, on any endpoint that reads a body
    byte[] undecodable = {'%', (byte) 0xff, '=', (byte) 0xfe, '&', '%', 'z', 'z'};
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/loops/loop-nosuchloop0/gates/g/approve"))
        .header("Authorization", "Bearer " + token("lead"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofByteArray(undecodable)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(415);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(answer.body()).contains("JSON bodies only");
  }

  @Test
  void shouldRefuseEveryStartThatAsksBeyondTheOperatorsPolicyAndStartNothing() throws Exception {
    // given configs that each break this context's policy one random way, some several ways
    long seed = Long.getLong("forge.fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    Path repo = newRepository();
    String[] hostVariables = {"CI_WEBHOOK_SECRET", "SPRING_DATASOURCE_PASSWORD",
        "SPRING_FLYWAY_PASSWORD", "SPRING_APPLICATION_JSON", "JAVA_TOOL_OPTIONS", "PATH", "HOME",
        "AWS_SECRET_ACCESS_KEY", "E2E_API_KEY_", "SSH_AUTH_SOCK"};
    List<String> failures = new ArrayList<>();

    for (int i = 0; i < 200; i++) {
      Map<String, Object> config = new java.util.LinkedHashMap<>(
          inlineConfig(List.of("true"), List.of()));
      Map<String, Object> sandbox = new java.util.LinkedHashMap<>((Map<String, Object>) config.get("sandbox"));
      Map<String, Object> limits = new java.util.LinkedHashMap<>((Map<String, Object>) sandbox.get("limits"));
      Map<String, Object> loop = new java.util.LinkedHashMap<>((Map<String, Object>) config.get("loop"));
      int breaks = 1 + random.nextInt(3);
      for (int b = 0; b < breaks; b++) {
        switch (random.nextInt(6)) {
          case 0 -> config.put("credentials", Map.of("env",
              Map.of("V" + random.nextInt(100), hostVariables[random.nextInt(hostVariables.length)])));
          case 1 -> limits.put("cpu", Runtime.getRuntime().availableProcessors() + 1 + random.nextInt(8));
          case 2 -> limits.put("memory", (9 + random.nextInt(50)) + "g");
          case 3 -> sandbox.put("image", "evil/agent:1." + random.nextInt(9));
          case 4 -> sandbox.put("network", Map.of("mode", "restricted",
              "allowed", List.of("x" + random.nextInt(1000) + ".example.org:443")));
          default -> loop.put("max_iterations", 501 + random.nextInt(9000));
        }
      }
      sandbox.put("limits", limits);
      config.put("sandbox", sandbox);
      config.put("loop", loop);

      // when each is started
      ForgeHttp.Answer answer = as("dev").post("/api/loops",
          Map.of("repository", repo.toString(), "goal", "g", "config", config));

      // then each is a 400 naming rule policy, and says no internal name
      boolean policy = answer.status() == 400 && java.util.stream.StreamSupport.stream(
          answer.json().path("errors").spliterator(), false)
          .anyMatch(e -> e.path("rule").asText().equals("policy"));
      if (!policy) {
        failures.add(answer.status() + " " + answer.body() + " for " + config);
      }
      INTERNALS.stream().filter(answer.body()::contains)
          .forEach(internal -> failures.add("leaks '" + internal + "': " + answer.body()));
    }

    assertThat(failures).as("seed %d", seed).isEmpty();
    assertThat(as("dev").get("/api/loops?repository=" + repo).json().get("total").asInt()).isZero();
  }

  private static String path(String pattern, String realLoop, Random random) {
    StringBuilder path = new StringBuilder();
    for (String part : pattern.split("/", -1)) {
      if (!path.isEmpty() || !part.isEmpty()) {
        path.append(path.isEmpty() && part.isEmpty() ? "" : "/");
      }
      path.append(part.equals("*") || part.equals("**") ? id(realLoop, random) : part);
    }
    String result = path.toString().replace("//", "/");
    return result.startsWith("/") ? result : "/" + result;
  }

  private static String id(String realLoop, Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> realLoop;
      case 1 -> "loop-nosuchloop0";
      case 2 -> "..";
      case 3 -> "%2e%2e%2f%2e%2e";
      case 4 -> "x".repeat(1 + random.nextInt(3000));
      case 5 -> "%00";
      case 6 -> "%E2%98%83";
      case 7 -> "production_deploy";
      case 8 -> "LOOP-UPPER";
      case 9 -> "a;b=c";
      case 10 -> "%25%32%65";
      default -> "loop-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    };
  }

  private static String query(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "?limit=" + random.nextInt();
      case 1 -> "?offset=-1&after=x";
      case 2 -> "?state=RUNNING,NOPE&state=";
      case 3 -> "?repository=%2F..%2Fetc&startedBy=%00";
      case 4 -> "?all=maybe&limit=1e9";
      case 5 -> "?" + "a=b&".repeat(200);
      default -> "";
    };
  }

  /** A malformed body, or none; never one that starts a real loop (its repository never is one). */
  private static byte[] body(Random random, Path repo) {
    String text = switch (random.nextInt(23)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "{";
      case 3 -> "[]";
      case 4 -> "null";
      case 5 -> "\"just a string\"";
      case 6 -> "{\"repository\": " + random.nextInt() + ", \"goal\": []}";
      case 7 -> "{\"repository\": \"" + repo + "/../../etc\", \"goal\": \"x\", \"config\": 7}";
      case 8 -> "{\"repository\": \"/nonexistent\", \"goal\": \"x\", \"config\": {\"version\": 1,"
          + " \"loop\": {\"cost_cap_usd\": -1, \"max_iterations\": 1e400}}}";
      case 9 -> "[".repeat(5000) + "]".repeat(5000);
      case 10 -> "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
      case 11 -> "{\"comment\": \"" + "é".repeat(5000) + "\", \"checkpointSha\": 12}";
      case 12 -> "{\"costCapUsd\": \"NaN\", \"reason\": {\"x\": 1}}";
      case 13 -> "{\"checkpoint\": \"" + "f".repeat(40) + "\", \"reason\": null, \"x\": 1}";
      case 14 -> "{\"name\": \"\", \"roles\": [\"root\"], \"expiresIn\": \"-5d\", \"groups\": 3}";
      // the refusals of issue 12: paths outside the roots, existing or not; control characters
      // in a goal; a token named like a group or grouped like a user; approver entries of every
      // shape; a TOTP code with a stale checkpoint
      case 15 -> "{\"repository\": \"/etc/shadow" + (random.nextBoolean() ? "-x" : "")
          + "\", \"goal\": \"x\"}";
      case 16 -> "{\"repository\": \"" + repo + "\", \"goal\": \"fix\\u0000it\\u001b[2J\"}";
      case 17 -> random.nextBoolean() ? "{\"name\": \"team-lead\", \"roles\": [\"approver\"]}"
          : "{\"name\": \"fuzz\", \"roles\": [\"approver\"], \"groups\": [\"lead\", \"fuzz\"]}";
      case 18 -> "{\"repository\": \"/nonexistent\", \"goal\": \"x\", \"config\": {\"version\": 1,"
          + " \"gates\": {\"g\": {\"approvers\": [\"role:x\", \"user:\", \"group:lead\", \"lead\"],"
          + " \"escalate_to\": [\"group:\"]}}}}";
      case 19 -> "{\"checkpointSha\": \"" + "0".repeat(40) + "\", \"totp\": \""
          + String.format("%06d", random.nextInt(1_000_000)) + "\"}";
      case 20 -> "{\"repository\": \"/nowhere\", \"goal\": \"a\", \"goal\": \"b\"}";
      case 21 -> "{\"comment\": \"x\", \"config\": {\"loop\": {\"k\": 1, \"k\": 2}}, \"comment\": 1}";
      default -> null;
    };
    if (random.nextInt(20) == 0) {
      byte[] bytes = new byte[random.nextInt(512)];
      random.nextBytes(bytes);
      return bytes;
    }
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
