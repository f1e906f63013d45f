package dev.forge.api.gates;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/loops/{id}/gates/{gate}/approve}, as sent. */
@Schema(description = "Approves the gate's pending checkpoint.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record GateApprovalBody(
    @Schema(type = "string", maxLength = GateRequest.MAX_COMMENT) Object comment,
    @Schema(type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
        pattern = "^([0-9a-f]{40}|[0-9a-f]{64})$", description = "the checkpoint the approver"
            + " reviewed: the pendingGate.checkpointSha of the loop's status") Object checkpointSha,
    @Schema(hidden = true) boolean checkpointShaGiven,
    @Schema(type = "string", maxLength = GateRequest.MAX_BACKUP_REF,
        description = "required where the gate has require_backup") Object backupRef,
    @Schema(type = "string", maxLength = GateRequest.MAX_ROLLBACK_PLAN,
        description = "required where the gate has rollback_plan: required") Object rollbackPlan,
    @Schema(type = "string", pattern = "^[0-9]{6}$",
        description = "the authenticator's code, where the gate steps up") Object totp,
    @Schema(hidden = true) List<String> unknownFields) implements GateBody {

  static final GateApprovalBody NONE = of(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static GateApprovalBody of(Map<String, Object> body) {
    return new GateApprovalBody(body.get("comment"), body.get("checkpointSha"),
        body.containsKey("checkpointSha"), body.get("backupRef"), body.get("rollbackPlan"),
        body.get("totp"), GateBody.unknown(body));
  }
}
