package dev.forge.api.gates;

import dev.forge.api.loops.Loops;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.security.ApiUser;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.loop.GateDecision;
import dev.forge.workflows.loop.GateView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.core.annotation.AuthenticationPrincipal;

/**
 * Gate decisions (approver role). The loop workflow validates each decision (the gate is pending,
 * the caller did not start the loop, the caller is one of its approvers) before anything is
 * written to its history; refusals come back as 403 or 409 and are audited.
 */
@RestController
class GateController {

  private static final Pattern GATE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final int MAX_COMMENT = 2000;

  private final Loops loops;
  private final AuditLog audit;

  GateController(Loops loops, AuditLog audit) {
    this.loops = loops;
    this.audit = audit;
  }

  @PostMapping(path = "/api/loops/{loopId}/gates/{gate}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
  GateView approve(@PathVariable String loopId, @PathVariable String gate,
      @RequestBody(required = false) Map<String, Object> body, @AuthenticationPrincipal ApiUser caller) {
    return decide(loopId, gate, body, caller, true);
  }

  @PostMapping(path = "/api/loops/{loopId}/gates/{gate}/reject", produces = MediaType.APPLICATION_JSON_VALUE)
  GateView reject(@PathVariable String loopId, @PathVariable String gate,
      @RequestBody(required = false) Map<String, Object> body, @AuthenticationPrincipal ApiUser caller) {
    return decide(loopId, gate, body, caller, false);
  }

  private GateView decide(String loopId, String gate, Map<String, Object> body, ApiUser caller,
      boolean approve) {
    if (!GATE.matcher(gate).matches()) {
      throw new InvalidInputException("gate", "format", "must be a gate name like production_deploy");
    }
    String comment = comment(body);
    GateDecision decision = new GateDecision(gate, caller.name(), caller.groups(), approve, comment);
    try {
      return loops.decide(loopId, decision);
    } catch (ApiException refused) {
      audit.append(new AuditEntry("gate-refused:" + UUID.randomUUID(), loopId, null, 0,
          caller.name(), "gate.decision.refused", gate,
          Map.of("approve", approve, "status", refused.status(), "reason", refused.getMessage())));
      throw refused;
    }
  }

  private static String comment(Map<String, Object> body) {
    if (body == null) {
      return "";
    }
    List<FieldError> errors = new ArrayList<>();
    body.keySet().stream().filter(k -> !k.equals("comment")).sorted().forEach(k ->
        errors.add(new FieldError(k, "unknown", "is not a known field; allowed: comment")));
    Object comment = body.get("comment");
    if (comment != null && !(comment instanceof String)) {
      errors.add(new FieldError("comment", "type", "must be a string"));
    } else if (comment instanceof String c && c.length() > MAX_COMMENT) {
      errors.add(new FieldError("comment", "range", "must be at most " + MAX_COMMENT + " characters"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return comment == null ? "" : (String) comment;
  }
}
