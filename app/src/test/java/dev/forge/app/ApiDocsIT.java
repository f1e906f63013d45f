package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.api.security.Endpoint;
import dev.forge.api.security.Endpoints;
import dev.forge.api.identity.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and the Swagger UI through real HTTP: every row of the role table is in
 * the document with its roles and the bearer requirement, request bodies and problem+json
 * answers are described, neither is served without a token, and the UI's page loads under a
 * policy of its own.
 */
class ApiDocsIT extends ForgeIT {

  private static final String STRICT_POLICY =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private RawHttp http() {
    return new RawHttp(port, "127.0.0.1");
  }

  @Test
  void shouldDescribeEveryEndpointOfTheRoleTableWithItsRoles() {
    RawHttp.Response answer = http().get("/v3/api-docs", token("dev"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.header("Content-Security-Policy")).isEqualTo(STRICT_POLICY);
    writeForReaders(answer.body());
    JsonNode doc = answer.json();
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    Map<String, JsonNode> operations = operationsByRow(doc);
    for (Endpoint row : Endpoints.ALL) {
      String key = row.method().name() + " " + row.pattern();
      assertThat(operations).as("the document lists %s", key).containsKey(key);
      JsonNode operation = operations.get(key);
      List<String> roles = new ArrayList<>();
      operation.path("x-forge-roles").forEach(r -> roles.add(r.asText()));
      assertThat(roles).as("roles of %s", key).containsExactlyElementsOf(Arrays.stream(Role.values())
          .filter(row.roles()::contains).map(Role::externalName).toList());
      if (row.isPublic()) {
        assertThat(operation.path("security")).as("%s is public", key).isEmpty();
      } else {
        assertThat(operation.at("/security/0").has("bearer")).as("%s needs a token", key).isTrue();
        assertThat(operation.at("/responses/401/content").has("application/problem+json")).as(key).isTrue();
        assertThat(operation.at("/responses/403/content").has("application/problem+json")).as(key).isTrue();
      }
    }
    assertThat(operations).as("nothing the table does not list").hasSameSizeAs(Endpoints.ALL);
    assertThat(doc.path("paths").has("/error")).isFalse();
  }

  @Test
  void shouldDescribeRequestBodiesAndProblemAnswers() {
    JsonNode doc = http().get("/v3/api-docs", token("lead")).json();
    Map<String, JsonNode> operations = operationsByRow(doc);

    JsonNode start = operations.get("POST /api/loops");
    assertThat(bodySchema(doc, start).path("properties").has("goal")).isTrue();
    assertThat(bodySchema(doc, start).path("properties").has("config")).isTrue();
    assertThat(start.at("/responses/400/content/application~1problem+json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/Problem");
    assertThat(start.at("/responses/413").isMissingNode()).isFalse();
    JsonNode approve = operations.get("POST /api/loops/*/gates/*/approve");
    assertThat(bodySchema(doc, approve).path("properties").has("totp")).isTrue();
    assertThat(operations.get("POST /api/tokens").at("/responses/428").isMissingNode()).isFalse();
    assertThat(operations.get("GET /api/loops").path("parameters").toString()).contains("startedBy");
    List<String> gateParameters = new ArrayList<>();
    operations.get("GET /api/gates").path("parameters").forEach(p -> gateParameters.add(p.path("name").asText()));
    assertThat(gateParameters).containsExactly("state");
    assertThat(successCodes(start)).as("POST /api/loops").containsExactly("201");
    assertThat(successCodes(operations.get("POST /api/tokens"))).containsExactly("201");
    assertThat(successCodes(operations.get("POST /api/totp/enrolments"))).containsExactly("201");
    assertThat(successCodes(operations.get("POST /api/loops/*/cancel"))).containsExactly("202");
    assertThat(successCodes(operations.get("POST /api/loops/*/pause"))).containsExactly("202");
    assertThat(successCodes(operations.get("POST /api/webhooks/*"))).containsExactlyInAnyOrder("200", "202");
    assertThat(operations.get("POST /api/webhooks/*").at("/responses/422/content").has("application/problem+json"))
        .isTrue();
    JsonNode events = operations.get("GET /api/loops/*/events");
    assertThat(successCodes(events)).containsExactlyInAnyOrder("200", "204");
    assertThat(events.at("/responses/200/content").has("text/event-stream")).isTrue();
    assertThat(events.toString()).as("the stream, not the server's emitter class").doesNotContain("SseEmitter");
    assertThat(doc.at("/components/schemas/Problem/properties").has("detail")).isTrue();
    assertThat(doc.toString()).as("no internal names").doesNotContain("Exception", "dev.forge",
        "springframework", "jakarta.", "Caused by");
  }

  /** The required fields of every body; springdoc derives each from the handler's body record. */
  private static final Map<String, List<String>> REQUIRED = Map.of(
      "POST /api/loops", List.of("repository"),
      "POST /api/loops/*/gates/*/approve", List.of("checkpointSha"),
      "POST /api/loops/*/gates/*/reject", List.of(),
      "POST /api/loops/*/rollback", List.of("checkpoint"),
      "POST /api/loops/*/cost-cap", List.of("costCapUsd"),
      "POST /api/tokens", List.of("name", "roles"),
      "POST /api/totp/enrolments", List.of("user"));

  @Test
  void shouldDescribeEveryRequestBodyWithItsRequiredFields() {
    JsonNode doc = http().get("/v3/api-docs", token("lead")).json();
    Map<String, JsonNode> operations = operationsByRow(doc);

    operations.forEach((row, operation) -> {
      if (operation.has("requestBody")) {
        assertThat(REQUIRED).as("%s has a body: list its required fields here", row).containsKey(row);
      }
    });
    REQUIRED.forEach((row, required) -> {
      JsonNode schema = bodySchema(doc, operations.get(row));
      List<String> listed = new ArrayList<>();
      schema.path("required").forEach(field -> listed.add(field.asText()));
      assertThat(schema.path("properties").size()).as("properties of %s", row).isPositive();
      assertThat(listed).as("required fields of %s", row).containsExactlyInAnyOrderElementsOf(required);
      assertThat(schema.path("properties").has("unknownFields")).as(row).isFalse();
      assertThat(schema.path("additionalProperties").asBoolean(true)).as("%s refuses unknown fields", row)
          .isFalse();
    });
  }

  /** The JSON schema of an operation's body, following a reference into the components. */
  private static JsonNode bodySchema(JsonNode doc, JsonNode operation) {
    JsonNode schema = operation.at("/requestBody/content/application~1json/schema");
    String ref = schema.path("$ref").asText();
    return ref.isEmpty() ? schema : doc.at(ref.substring(1));
  }

  private static List<String> successCodes(JsonNode operation) {
    List<String> codes = new ArrayList<>();
    operation.path("responses").fieldNames().forEachRemaining(code -> {
      if (code.startsWith("2")) {
        codes.add(code);
      }
    });
    return codes;
  }

  @Test
  void shouldRefuseTheDocumentAndTheUiWithoutAToken() {
    for (String path : List.of("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config",
        "/swagger-ui.html", "/swagger-ui/index.html")) {
      RawHttp.Response answer = http().get(path, null);

      assertThat(answer.status()).as(path).isEqualTo(401);
      assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
    }
  }

  @Test
  void shouldServeTheUiUnderItsOwnPolicy() {
    RawHttp.Response welcome = http().get("/swagger-ui.html", token("dev"));
    assertThat(welcome.status()).as(welcome.body()).isBetween(200, 399);

    RawHttp.Response page = http().get("/swagger-ui/index.html", token("dev"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("swagger-ui").contains("swagger-initializer.js");
    assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; script-src 'self';")
        .contains("connect-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-eval");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");

    RawHttp.Response initializer = http().get("/swagger-ui/swagger-initializer.js", token("dev"));
    assertThat(initializer.status()).isEqualTo(200);
    assertThat(initializer.body()).contains("/v3/api-docs/swagger-config").doesNotContain("petstore");
    RawHttp.Response config = http().get("/v3/api-docs/swagger-config", token("dev"));
    assertThat(config.status()).isEqualTo(200);
    assertThat(config.json().path("url").asText()).isEqualTo("/v3/api-docs");
  }

  /** The document as this build serves it, for a reader: {@code app/target/openapi.json}. */
  private static void writeForReaders(String document) {
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("target/openapi.json"), document);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Operations by their {@code x-forge-endpoint}: {@code METHOD pattern}. */
  private static Map<String, JsonNode> operationsByRow(JsonNode doc) {
    Map<String, JsonNode> operations = new HashMap<>();
    doc.path("paths").forEach(item -> item.forEach(operation -> {
      if (operation.has("x-forge-endpoint")) {
        operations.put(operation.get("x-forge-endpoint").asText(), operation);
      }
    }));
    return operations;
  }
}
