package dev.forge.api.loops;

import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.UnknownFields;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.loop.LoopState;
import dev.forge.workflows.loop.LoopStatus;
import dev.forge.workflows.loop.Rollback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pause, resume and rollback, between iterations: the engineer who started the loop or an approver
 * (roles in SecurityConfiguration, the who-started-it rule here). A running step finishes first;
 * the loop then waits in state PAUSED until resumed. While it is paused, {@code POST
 * /api/loops/{id}/rollback} with {@code {"checkpoint": "<sha>", "reason": "..."}} puts its branch and
 * work tree back to one of its checkpoints.
 */
@RestController
@RequestMapping(path = "/api/loops", produces = MediaType.APPLICATION_JSON_VALUE)
class LoopPauseController {

  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

  private final Loops loops;
  private final AuditLog audit;

  LoopPauseController(Loops loops, AuditLog audit) {
    this.loops = loops;
    this.audit = audit;
  }

  @ResponseStatus(HttpStatus.ACCEPTED)
  @PostMapping("/{loopId}/pause")
  ResponseEntity<LoopStatus> pause(@PathVariable String loopId,
      @AuthenticationPrincipal ApiUser caller) {
    LoopStatus status = controllable(loopId, caller, "pause", "pause");
    if (status.state() == LoopState.PAUSED) {
      throw ApiException.conflict("loop " + loopId + " is already paused");
    }
    record(loopId, caller, status, "loop.pause.requested");
    loops.pause(loopId, caller.name());
    return ResponseEntity.accepted().body(loops.status(loopId));
  }

  @ResponseStatus(HttpStatus.ACCEPTED)
  @PostMapping("/{loopId}/resume")
  ResponseEntity<LoopStatus> resume(@PathVariable String loopId,
      @AuthenticationPrincipal ApiUser caller) {
    LoopStatus status = controllable(loopId, caller, "resume", "resume");
    record(loopId, caller, status, "loop.resume.requested");
    loops.resume(loopId, caller.name());
    return ResponseEntity.accepted().body(loops.status(loopId));
  }

  @PostMapping("/{loopId}/rollback")
  LoopStatus rollback(@PathVariable String loopId,
      @RequestBody(required = false) RollbackBody body,
      @AuthenticationPrincipal ApiUser caller) {
    Rollback rollback = readRollback(body, caller.name());
    LoopStatus status = controllable(loopId, caller, "rollback", "roll back");
    try {
      return loops.rollback(loopId, rollback);
    } catch (ApiException refused) {
      audit.append(new AuditEntry("loop.rollback.refused:" + UUID.randomUUID(), loopId, null,
          status.iteration(), caller.name(), "loop.rollback.refused", rollback.checkpointSha(),
          Map.of("status", refused.status(), "reason", refused.getMessage())));
      throw refused;
    }
  }

  private static Rollback readRollback(RollbackBody sent, String by) {
    List<FieldError> errors = new ArrayList<>();
    RollbackBody body = sent == null ? RollbackBody.NONE : sent;
    UnknownFields.refuse(body.unknownFields(), "checkpoint, reason", errors);
    Object sha = body.checkpoint();
    if (sha == null) {
      errors.add(new FieldError("checkpoint", "required",
          "the full sha of one of the loop's checkpoints (GET /api/loops/{id} lists them)"));
    } else if (!(sha instanceof String text) || !FULL_SHA.matcher(text).matches()) {
      errors.add(new FieldError("checkpoint", "format",
          "must be a full commit id: 40 lower-case hex digits"));
    }
    String reason = BodyFields.reason(body.reason(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new Rollback((String) sha, by, reason);
  }

  /**
   * @param action the audit action's middle word ({@code loop.<action>.refused})
   * @param what the verb for the caller's message
   */
  private LoopStatus controllable(String loopId, ApiUser caller, String action, String what) {
    LoopStatus status = loops.status(LoopIds.require(loopId));
    if (!caller.has(Role.APPROVER) && !caller.name().equals(status.startedBy())) {
      audit.append(new AuditEntry("loop." + action + ".refused:" + UUID.randomUUID(), loopId, null,
          0, caller.name(), "loop." + action + ".refused", loopId,
          Map.of("reason", "not started by caller")));
      throw ApiException.forbidden("only the engineer who started loop " + loopId + " ("
          + status.startedBy() + ") or an approver may " + what + " it");
    }
    if (status.state().isTerminal()) {
      throw ApiException.conflict("loop " + loopId + " has already ended: " + status.state());
    }
    return status;
  }

  private void record(String loopId, ApiUser caller, LoopStatus status, String action) {
    audit.append(new AuditEntry(action + ":" + loopId + ":" + UUID.randomUUID(), loopId, null,
        status.iteration(), caller.name(), action, loopId, Map.of()));
  }
}
