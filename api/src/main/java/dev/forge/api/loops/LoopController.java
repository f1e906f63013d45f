package dev.forge.api.loops;

import dev.forge.api.ApiProperties;
import dev.forge.api.config.ForgeConfigParser;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.security.ApiUser;
import dev.forge.api.security.Role;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.loop.LoopRequest;
import dev.forge.workflows.loop.LoopStatus;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Loops: start (engineer), inspect (engineer, approver), cancel (its engineer, or an approver),
 * export history and audit (engineer, approver). Roles are enforced in SecurityConfiguration; rules
 * that depend on the loop (who started it) are enforced here.
 */
@RestController
@RequestMapping(path = "/api/loops", produces = MediaType.APPLICATION_JSON_VALUE)
class LoopController {

  private final Loops loops;
  private final StartLoopReader reader;
  private final AuditLog audit;

  LoopController(Loops loops, ApiProperties properties, ForgeConfigParser parser, AuditLog audit) {
    this.loops = loops;
    this.reader = new StartLoopReader(new RepositoryPolicy(properties.allowedRoots()), parser);
    this.audit = audit;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<StartedLoop> start(
      @RequestBody(required = false) Map<String, Object> body, @AuthenticationPrincipal ApiUser caller) {
    String loopId = LoopIds.next();
    LoopRequest request = reader.read(body, loopId, caller);
    loops.start(request);
    return ResponseEntity.created(URI.create("/api/loops/" + loopId)).body(StartedLoop.of(loopId));
  }

  @GetMapping("/{loopId}")
  LoopStatus status(@PathVariable String loopId) {
    return loops.status(LoopIds.require(loopId));
  }

  @PostMapping("/{loopId}/cancel")
  ResponseEntity<LoopStatus> cancel(@PathVariable String loopId, @AuthenticationPrincipal ApiUser caller) {
    LoopStatus status = loops.status(LoopIds.require(loopId));
    if (!caller.has(Role.APPROVER) && !caller.name().equals(status.startedBy())) {
      refuse(loopId, caller, "loop.cancel.refused", "not started by caller");
      throw ApiException.forbidden("only the engineer who started loop " + loopId
          + " (" + status.startedBy() + ") or an approver may cancel it");
    }
    if (status.state().isTerminal()) {
      throw ApiException.conflict("loop " + loopId + " has already ended: " + status.state());
    }
    audit.append(new AuditEntry("cancel:" + loopId + ":" + UUID.randomUUID(), loopId, null,
        status.iteration(), caller.name(), "loop.cancel.requested", loopId, Map.of()));
    loops.cancel(loopId);
    return ResponseEntity.accepted().body(loops.status(loopId));
  }

  @GetMapping("/{loopId}/history")
  String history(@PathVariable String loopId) {
    return loops.historyJson(LoopIds.require(loopId));
  }

  @GetMapping("/{loopId}/audit")
  List<StoredAuditEntry> audit(@PathVariable String loopId,
      @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
    if (offset < 0) {
      throw new InvalidInputException("offset", "range", "must be 0 or more");
    }
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit", "range", "must be between 1 and 1000");
    }
    loops.status(LoopIds.require(loopId));
    return audit.forLoop(loopId, offset, limit);
  }

  private void refuse(String loopId, ApiUser caller, String action, String why) {
    audit.append(new AuditEntry(action + ":" + UUID.randomUUID(), loopId, null, 0, caller.name(),
        action, loopId, Map.of("reason", why)));
  }
}
