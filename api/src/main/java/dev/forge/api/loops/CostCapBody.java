package dev.forge.api.loops;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.forge.api.problems.UnknownFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/loops/{id}/cost-cap}, as sent; checked by {@link
 * CostCapController} (untyped components: see {@link StartLoopBody}; the cap may also be a JSON
 * number).
 */
@Schema(description = "Raises a loop's cost cap.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record CostCapBody(
    @Schema(type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
        pattern = "^[0-9]{1,6}(\\.[0-9]{1,6})?$",
        description = "US dollars, above the current cap, e.g. \"5.00\" (a JSON number is"
            + " taken too)") Object costCapUsd,
    @Schema(type = "string", maxLength = BodyFields.MAX_REASON) Object reason,
    @Schema(hidden = true) List<String> unknownFields) {

  static final CostCapBody NONE = of(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static CostCapBody of(Map<String, Object> body) {
    return new CostCapBody(body.get("costCapUsd"), body.get("reason"),
        UnknownFields.of(body, List.of("costCapUsd", "reason")));
  }
}
