package dev.forge.api.gates;

import dev.forge.spec.SecretDetector;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.UnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of a gate decision: {@code comment}; for an approval the {@code checkpointSha} the
 * approver reviewed (required), and {@code backupRef} / {@code rollbackPlan} where the gate asks
 * for them; {@code totp} for a step-up gate. Every field breaking a rule is reported at once.
 */
record GateRequest(String comment, String checkpointSha, String backupRef, String rollbackPlan,
    String totp) {

  static final int MAX_COMMENT = 2000;
  static final int MAX_BACKUP_REF = 200;
  static final int MAX_ROLLBACK_PLAN = 4000;
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern TOTP = Pattern.compile("[0-9]{6}");

  static GateRequest read(GateBody sent, boolean approve) {
    GateBody body = sent != null ? sent : approve ? GateApprovalBody.NONE : GateRejectionBody.NONE;
    List<FieldError> errors = new ArrayList<>();
    UnknownFields.refuse(body.unknownFields(), String.join(", ", GateBody.FIELDS), errors);
    String comment = text(body.comment(), "comment", MAX_COMMENT, errors);
    String sha = text(body.checkpointSha(), "checkpointSha", 64, errors);
    if (approve && sha == null && !body.checkpointShaGiven()) {
      errors.add(new FieldError("checkpointSha", "required", "an approval must name the checkpoint"
          + " it approves: the pendingGate.checkpointSha of the loop's status you reviewed"));
    } else if (sha != null && !SHA.matcher(sha).matches()) {
      errors.add(new FieldError("checkpointSha", "format",
          "must be a full commit sha (40 or 64 lower-case hex digits)"));
    }
    String backupRef = text(body.backupRef(), "backupRef", MAX_BACKUP_REF, errors);
    String rollbackPlan = text(body.rollbackPlan(), "rollbackPlan", MAX_ROLLBACK_PLAN, errors);
    String totp = text(body.totp(), "totp", 6, errors);
    if (totp != null && !TOTP.matcher(totp).matches()) {
      errors.add(new FieldError("totp", "format", "must be the 6-digit code of your authenticator"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new GateRequest(comment == null ? "" : comment, sha, backupRef, rollbackPlan, totp);
  }

  /** An optional string of at most {@code max} characters, not looking like a secret. */
  private static String text(Object value, String name, int max, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      errors.add(new FieldError(name, "type", "must be a string"));
      return null;
    }
    if (text.length() > max) {
      errors.add(new FieldError(name, "range", "must be at most " + max + " characters"));
      return null;
    }
    if (!name.equals("totp") && SecretDetector.looksLikeSecret(text)) {
      errors.add(new FieldError(name, "secret", "looks like a secret; it would be kept in the"
          + " loop's history and audit log, so leave the secret out and refer to where it is kept"));
      return null;
    }
    return text;
  }

  @Override
  public String toString() {
    return "GateRequest[checkpointSha=" + checkpointSha + ", totp=" + (totp == null ? "none" : "***")
        + "]";
  }
}
