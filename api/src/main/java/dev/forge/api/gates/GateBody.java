package dev.forge.api.gates;

import dev.forge.api.problems.UnknownFields;
import java.util.List;
import java.util.Map;

/**
 * The body of a gate decision as sent, approval or rejection alike; {@link GateRequest#read}
 * checks it. The components are untyped: see {@code StartLoopBody}.
 */
sealed interface GateBody permits GateApprovalBody, GateRejectionBody {

  List<String> FIELDS = List.of("comment", "checkpointSha", "backupRef", "rollbackPlan", "totp");

  Object comment();

  Object checkpointSha();

  /** Whether the body names {@code checkpointSha} at all (a JSON null counts as naming it). */
  boolean checkpointShaGiven();

  Object backupRef();

  Object rollbackPlan();

  Object totp();

  List<String> unknownFields();

  static List<String> unknown(Map<String, Object> body) {
    return UnknownFields.of(body, FIELDS);
  }
}
