package dev.forge.api.gates;

import dev.forge.api.loops.Loops;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.stepup.StepUp;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.loop.GateDecision;
import dev.forge.workflows.loop.GateView;
import dev.forge.workflows.loop.LoopStatus;
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
 * the caller did not start the loop, is one of its approvers and has not voted yet, an approval
 * names the gate's current checkpoint and carries what the gate requires) before anything is
 * written to its history; refusals come back as 400, 403 or 409 and are audited.
 */
@RestController
class GateController {

  private static final Pattern GATE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Loops loops;
  private final AuditLog audit;
  private final StepUp stepUp;

  GateController(Loops loops, AuditLog audit, StepUp stepUp) {
    this.loops = loops;
    this.audit = audit;
    this.stepUp = stepUp;
  }

  @PostMapping(path = "/api/loops/{loopId}/gates/{gate}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
  GateView approve(@PathVariable String loopId, @PathVariable String gate,
      @RequestBody(required = false) GateApprovalBody body, @AuthenticationPrincipal ApiUser caller) {
    return decide(loopId, gate, body, caller, true);
  }

  @PostMapping(path = "/api/loops/{loopId}/gates/{gate}/reject", produces = MediaType.APPLICATION_JSON_VALUE)
  GateView reject(@PathVariable String loopId, @PathVariable String gate,
      @RequestBody(required = false) GateRejectionBody body, @AuthenticationPrincipal ApiUser caller) {
    return decide(loopId, gate, body, caller, false);
  }

  private GateView decide(String loopId, String gate, GateBody body, ApiUser caller,
      boolean approve) {
    if (!GATE.matcher(gate).matches()) {
      throw new InvalidInputException("gate", "format", "must be a gate name like production_deploy");
    }
    try {
      GateRequest request = GateRequest.read(body, approve);
      GateDecision decision = new GateDecision(gate, caller.name(), caller.groups(), approve,
          request.comment(), request.checkpointSha(), request.backupRef(), request.rollbackPlan());
      if (approve && stepUpRequired(loopId, gate, request.totp())) {
        // the code is checked first, and spent only if the workflow accepts the approval
        return stepUp.approveWith(caller.name(), request.totp(), () -> loops.decide(loopId, decision));
      }
      return loops.decide(loopId, decision);
    } catch (ApiException refused) {
      refused(loopId, gate, caller, approve, refused.status(), refused.getMessage());
      throw refused;
    } catch (InvalidInputException invalid) {
      refused(loopId, gate, caller, approve, 400, invalid.getMessage());
      throw invalid;
    }
  }

  /**
   * Whether the approval needs a TOTP code: a step-up gate (production_deploy, or step_up: true)
   * takes one with each approval, verified before the update goes to the workflow. Rejecting needs
   * none: it is the safe way.
   */
  private boolean stepUpRequired(String loopId, String gate, String totp) {
    LoopStatus status = loops.peek(loopId);
    GateView pending = status == null ? null : status.pendingGate();
    if (pending == null || !pending.name().equals(gate) || !pending.stepUp()) {
      return false;
    }
    if (totp == null) {
      throw new InvalidInputException("totp", "required", "gate '" + gate + "' needs step-up"
          + " authentication: send the 6-digit code of your authenticator as totp");
    }
    return true;
  }

  private void refused(String loopId, String gate, ApiUser caller, boolean approve, int status,
      String reason) {
    audit.append(new AuditEntry("gate-refused:" + UUID.randomUUID(), loopId, null, 0,
        caller.name(), "gate.decision.refused", gate,
        Map.of("approve", approve, "status", status, "reason", reason)));
  }
}
