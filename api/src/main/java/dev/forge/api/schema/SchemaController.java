package dev.forge.api.schema;

import dev.forge.api.problems.InvalidInputException;
import dev.forge.spec.config.ForgeSchema;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/forge.schema.json}: the JSON Schema of forge.yml, built from the parser's own
 * definitions (the same text as the committed {@code docs/forge.schema.json}), for editors and for
 * tools that check a config before they send it.
 */
@RestController
class SchemaController {

  static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

  private final String schema = ForgeSchema.json();

  @Operation(summary = "The JSON Schema of forge.yml",
      description = "Structure only (keys, types, choices, bounds); the server's parser checks the"
          + " rules that span fields, and the operator's policy, when a loop starts.")
  @GetMapping(path = "/api/forge.schema.json",
      produces = {"application/schema+json", MediaType.APPLICATION_JSON_VALUE})
  ResponseEntity<String> schema(HttpServletRequest request) {
    request.getParameterMap().keySet().stream().sorted().findFirst().ifPresent(k -> {
      throw new InvalidInputException(k, "unknown", "is not a known parameter; this takes none");
    });
    return ResponseEntity.ok().contentType(SCHEMA_JSON).body(schema);
  }
}
