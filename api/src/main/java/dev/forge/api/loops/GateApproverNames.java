package dev.forge.api.loops;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.tokens.KnownNames;
import dev.forge.spec.loop.Approvers;
import dev.forge.spec.loop.GateConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * At loop start, refuses a bare approver name (in {@code approvers} or {@code escalate_to}) that
 * is both a known user and a known group: the gate would admit either, and the config must say
 * which ({@code user:NAME} or {@code group:NAME}). The parser checks the entries' shape; this
 * checks them against the names the API knows, which the parser does not see.
 */
final class GateApproverNames {

  private final KnownNames known;

  GateApproverNames(KnownNames known) {
    this.known = known;
  }

  /** @param prefix put before each field: {@code config.} or {@code forge.yml:} */
  void check(List<GateConfig> gates, String prefix) {
    if (gates.isEmpty()) {
      return;
    }
    KnownNames.Names names = known.now();
    List<FieldError> errors = new ArrayList<>();
    for (GateConfig gate : gates) {
      String path = prefix + "gates." + gate.name();
      ambiguous(errors, path + ".approvers", gate.approvers(), names);
      ambiguous(errors, path + ".escalate_to", gate.escalateTo(), names);
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static void ambiguous(List<FieldError> errors, String path, List<String> entries,
      KnownNames.Names names) {
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      if (Approvers.bare(entry) && names.users().contains(entry) && names.groups().contains(entry)) {
        errors.add(new FieldError(path + "[" + i + "]", "conflict", "'" + entry + "' is both a user"
            + " and a group; write user:" + entry + " or group:" + entry + " to say which may"
            + " decide"));
      }
    }
  }
}
