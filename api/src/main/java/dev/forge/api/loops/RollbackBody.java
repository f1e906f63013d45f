package dev.forge.api.loops;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.forge.api.problems.UnknownFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/loops/{id}/rollback}, as sent; checked by {@link
 * LoopPauseController} (untyped components: see {@link StartLoopBody}).
 */
@Schema(description = "Puts a paused loop back to one of its checkpoints.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record RollbackBody(
    @Schema(type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
        pattern = "^[0-9a-f]{40}$",
        description = "the full sha of one of the loop's checkpoints") Object checkpoint,
    @Schema(type = "string", maxLength = BodyFields.MAX_REASON) Object reason,
    @Schema(hidden = true) List<String> unknownFields) {

  static final RollbackBody NONE = of(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static RollbackBody of(Map<String, Object> body) {
    return new RollbackBody(body.get("checkpoint"), body.get("reason"),
        UnknownFields.of(body, List.of("checkpoint", "reason")));
  }
}
