package dev.forge.api.stepup;

import dev.forge.spec.loop.Approvers;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.UnknownFields;
import dev.forge.api.confirmations.AdminConfirmations;
import dev.forge.api.identity.ApiUser;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/totp/enrolments} (admin, confirmed by a second request): enrols a user for
 * step-up approvals. The answer holds the secret and its otpauth URI, this once; the audit entry
 * names who enrolled whom, never the secret. Enrolling a user again replaces the secret.
 */
@RestController
class TotpController {

  static final String ISSUER = "Forge";
  private static final Pattern USER = Approvers.NAME;

  private final StepUp stepUp;
  private final AdminConfirmations confirmations;
  private final AuditLog audit;

  TotpController(StepUp stepUp, AdminConfirmations confirmations, AuditLog audit) {
    this.stepUp = stepUp;
    this.confirmations = confirmations;
    this.audit = audit;
  }

  @ResponseStatus(HttpStatus.CREATED)
  @PostMapping(path = "/api/totp/enrolments", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> enrol(@RequestBody(required = false) TotpEnrolmentBody body,
      @RequestHeader(name = AdminConfirmations.HEADER, required = false) String confirmation,
      @AuthenticationPrincipal ApiUser caller) {
    String user = user(body);
    confirmations.require(caller, confirmation, "POST /api/totp/enrolments " + user,
        "enrolling " + user + " for TOTP step-up (replaces any earlier enrolment of " + user + ")");
    StepUp.Enrolment enrolment = stepUp.enrol(user, caller.name());
    audit.append(new AuditEntry("totp.enrolled:" + UUID.randomUUID(), null, null, 0, caller.name(),
        "totp.enrolled", user, Map.of("by", caller.credential())));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("user", user);
    answer.put("secret", enrolment.secret());
    answer.put("otpauthUri", enrolment.otpauthUri(ISSUER));
    answer.put("algorithm", "SHA1");
    answer.put("digits", TotpCodes.DIGITS);
    answer.put("period", TotpCodes.STEP.getSeconds());
    answer.put("note", "this is the only time the secret is shown: hand the otpauth URI to " + user
        + " over a trusted channel for their authenticator app; Forge keeps it only encrypted");
    return ResponseEntity.status(201).header("Cache-Control", "no-store").body(answer);
  }

  private static String user(TotpEnrolmentBody sent) {
    TotpEnrolmentBody body = sent == null ? TotpEnrolmentBody.NONE : sent;
    List<FieldError> errors = new java.util.ArrayList<>();
    UnknownFields.refuse(body.unknownFields(), "user", errors);
    Object user = body.user();
    if (user == null) {
      errors.add(new FieldError("user", "required", "must name the user to enrol, e.g. lead"));
    } else if (!(user instanceof String text)) {
      errors.add(new FieldError("user", "type", "must be a string"));
    } else if (!USER.matcher(text).matches()) {
      errors.add(new FieldError("user", "format", "must be a user name of letters, digits, '.', '_'"
          + " and '-', at most 64 characters"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return (String) user;
  }
}
