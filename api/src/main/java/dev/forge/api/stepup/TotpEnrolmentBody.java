package dev.forge.api.stepup;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.forge.api.problems.UnknownFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/totp/enrolments}, as sent; {@link TotpController} checks it
 * (untyped component, so that a wrong type is reported with the other problems).
 */
@Schema(description = "Enrols a user for step-up approvals.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record TotpEnrolmentBody(
    @Schema(type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
        pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description = "the user to enrol")
    Object user,
    @Schema(hidden = true) List<String> unknownFields) {

  static final TotpEnrolmentBody NONE = of(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static TotpEnrolmentBody of(Map<String, Object> body) {
    return new TotpEnrolmentBody(body.get("user"), UnknownFields.of(body, List.of("user")));
  }
}
