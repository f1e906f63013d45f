package dev.forge.api.docs;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON bodies and query parameters of the endpoints whose handlers read them by hand (a map,
 * the raw query) and so give springdoc nothing to describe; keyed by the {@code Endpoints} row.
 * Each handler refuses unknown fields, so {@code additionalProperties} is false.
 */
final class RequestBodies {

  private static final String SHA = "^[0-9a-f]{40}$";

  private static final Map<String, Schema<?>> BODIES = Map.of(
      "POST /api/loops", object(List.of("repository"),
          "repository", new StringSchema().description("absolute path under forge.api.allowed-roots"),
          "goal", new StringSchema().description("the goal; optional when the config names a prompt_file"),
          "config", new ObjectSchema().description("forge.yml as JSON; without it the repository's own forge.yml")),
      "POST /api/loops/*/gates/*/approve", object(List.of("checkpointSha"),
          "checkpointSha", new StringSchema().pattern(SHA).description("the checkpoint the approver reviewed"),
          "comment", new StringSchema(),
          "backupRef", new StringSchema().description("required where the gate has require_backup"),
          "rollbackPlan", new StringSchema().description("required where the gate has rollback_plan: required"),
          "totp", new StringSchema().pattern("^[0-9]{6}$").description("where the gate steps up")),
      "POST /api/loops/*/gates/*/reject", object(List.of(),
          "checkpointSha", new StringSchema().pattern(SHA).description("checked when given"),
          "comment", new StringSchema()),
      "POST /api/loops/*/rollback", object(List.of("checkpoint"),
          "checkpoint", new StringSchema().pattern(SHA), "reason", new StringSchema()),
      "POST /api/loops/*/cost-cap", object(List.of("costCapUsd"),
          "costCapUsd", new StringSchema().example("5.00").description("US dollars, above the current cap"),
          "reason", new StringSchema()),
      "POST /api/tokens", object(List.of("name", "roles"),
          "name", new StringSchema(),
          "roles", new ArraySchema().items(new StringSchema()._enum(List.of("viewer", "engineer", "approver", "admin"))),
          "groups", new ArraySchema().items(new StringSchema()),
          "expiresIn", new StringSchema().example("30d")),
      "POST /api/totp/enrolments", object(List.of("user"), "user", new StringSchema()));

  private static final Map<String, List<Parameter>> QUERIES = Map.of(
      "GET /api/loops", List.of(
          query("state", new StringSchema(), "repeated or comma-separated loop states"),
          query("repository", new StringSchema(), null), query("startedBy", new StringSchema(), null),
          query("limit", new IntegerSchema().minimum(java.math.BigDecimal.ONE).maximum(java.math.BigDecimal.valueOf(500)), "default 50"),
          query("offset", new IntegerSchema(), null)),
      "GET /api/gates", List.of(query("state", new StringSchema()._enum(List.of("pending")), "required")),
      "GET /api/loops/*/audit", List.of(
          query("limit", new IntegerSchema(), "1 to 1000, default 100"),
          query("offset", new IntegerSchema(), "0 to 100000; not with after"),
          query("after", new IntegerSchema(), "an entry id: the page after it (keyset)")),
      "GET /api/loops/*/audit.jsonl", List.of(query("after", new IntegerSchema(), "resume after an entry id")),
      "GET /api/tokens", List.of(query("all", new BooleanSchema(), "include expired and revoked tokens")));

  private RequestBodies() {}

  static Optional<RequestBody> body(String endpoint) {
    return Optional.ofNullable(BODIES.get(endpoint)).map(schema -> new RequestBody()
        .content(new Content().addMediaType("application/json", new MediaType().schema(schema))));
  }

  static List<Parameter> queryParameters(String endpoint) {
    return QUERIES.getOrDefault(endpoint, List.of());
  }

  private static Schema<?> object(List<String> required, Object... nameAndSchema) {
    ObjectSchema schema = new ObjectSchema();
    for (int i = 0; i < nameAndSchema.length; i += 2) {
      schema.addProperty((String) nameAndSchema[i], (Schema<?>) nameAndSchema[i + 1]);
    }
    schema.setRequired(required.isEmpty() ? null : required);
    schema.setAdditionalProperties(false);
    return schema;
  }

  private static Parameter query(String name, Schema<?> schema, String description) {
    return new Parameter().in("query").name(name).required("required".equals(description))
        .schema(schema).description(description);
  }
}
