package dev.forge.api.docs;

import dev.forge.api.problems.DuplicateKeys;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a body record the way Spring MVC reads a request body (Jackson, duplicate keys refused),
 * and describes it the way springdoc does (swagger-core's model resolver).
 */
public final class BodyRecords {

  private static final JsonMapper JSON = DuplicateKeys.strict(JsonMapper.builder()).build();

  private BodyRecords() {}

  public static <T> T read(String json, Class<T> type) {
    return JSON.readValue(json, type);
  }

  /** The body as a map, as the handlers used to take it. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(String json) {
    return JSON.readValue(json, Map.class);
  }

  /** The schema springdoc publishes for the record (in an OpenAPI 3.1 document, springdoc's default). */
  public static Schema<?> schema(Class<?> type) {
    Map<String, Schema> schemas = ModelConverters.getInstance(true).readAll(type);
    return schemas.values().iterator().next();
  }
}
