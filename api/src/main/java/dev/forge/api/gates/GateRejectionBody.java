package dev.forge.api.gates;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/loops/{id}/gates/{gate}/reject}, as sent: the same fields as an
 * approval ({@link GateBody#FIELDS}), none of them required.
 */
@Schema(description = "Rejects the gate.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record GateRejectionBody(
    @Schema(type = "string", maxLength = GateRequest.MAX_COMMENT) Object comment,
    @Schema(type = "string", pattern = "^([0-9a-f]{40}|[0-9a-f]{64})$",
        description = "checked when given") Object checkpointSha,
    @Schema(hidden = true) boolean checkpointShaGiven,
    @Schema(type = "string", maxLength = GateRequest.MAX_BACKUP_REF,
        description = "checked as on an approval; a rejection needs none") Object backupRef,
    @Schema(type = "string", maxLength = GateRequest.MAX_ROLLBACK_PLAN,
        description = "checked as on an approval; a rejection needs none") Object rollbackPlan,
    @Schema(type = "string", pattern = "^[0-9]{6}$",
        description = "checked as on an approval; a rejection needs no step-up") Object totp,
    @Schema(hidden = true) List<String> unknownFields) implements GateBody {

  static final GateRejectionBody NONE = of(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static GateRejectionBody of(Map<String, Object> body) {
    return new GateRejectionBody(body.get("comment"), body.get("checkpointSha"),
        body.containsKey("checkpointSha"), body.get("backupRef"), body.get("rollbackPlan"),
        body.get("totp"), GateBody.unknown(body));
  }
}
