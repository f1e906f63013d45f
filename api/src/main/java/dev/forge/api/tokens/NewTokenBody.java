package dev.forge.api.tokens;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.forge.api.problems.UnknownFields;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/tokens}, as sent; {@link TokenRequest#read} checks it (untyped
 * components, so that every problem of the body is reported at once).
 */
@Schema(description = "Creates a token for a user.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record NewTokenBody(
    @Schema(type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
        pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description = "the user the token is for")
    Object name,
    @Schema(type = "array", types = "array", requiredMode = Schema.RequiredMode.REQUIRED)
    @ArraySchema(minItems = 1, uniqueItems = true,
        schema = @Schema(type = "string", types = "string",
            allowableValues = {"viewer", "engineer", "approver", "admin"}))
    Object roles,
    @Schema(type = "array", types = "array")
    @ArraySchema(maxItems = 16,
        uniqueItems = true, schema = @Schema(type = "string", types = "string")) Object groups,
    @Schema(type = "string", example = "30d", pattern = "^[0-9]{1,6}[dhm]$",
        description = "days, hours or minutes; default forge.api.tokens.default-lifetime")
    Object expiresIn,
    @Schema(hidden = true) List<String> unknownFields) {

  static final NewTokenBody NONE = of(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static NewTokenBody of(Map<String, Object> body) {
    return new NewTokenBody(body.get("name"), body.get("roles"), body.get("groups"),
        body.get("expiresIn"),
        UnknownFields.of(body, List.of("name", "roles", "groups", "expiresIn")));
  }
}
