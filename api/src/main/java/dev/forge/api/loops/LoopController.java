package dev.forge.api.loops;

import dev.forge.api.loops.HistorySecrets;
import dev.forge.api.problems.ApiException;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.LoopIndex;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.loop.LoopStatus;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loops: start (engineer), list, inspect and follow (any role), cancel (its engineer, or an
 * approver), export history and audit, paged or as JSON Lines (any role). Roles are listed in
 * Endpoints and enforced by SecurityConfiguration; rules that depend on the loop (who started it)
 * are enforced here.
 */
@RestController
@RequestMapping(path = "/api/loops", produces = MediaType.APPLICATION_JSON_VALUE)
class LoopController {

  static final String AUDIT_JSONL = "application/x-ndjson";

  private final Loops loops;
  private final LoopStarter starter;
  private final AuditLog audit;
  private final LoopListing listing;
  private final LoopEventStreams streams;
  private final JsonMapper json;

  LoopController(Loops loops, LoopStarter starter, AuditLog audit, LoopIndex index,
      LoopEventStreams streams, JsonMapper json) {
    this.loops = loops;
    this.starter = starter;
    this.audit = audit;
    this.listing = new LoopListing(index, loops);
    this.streams = streams;
    this.json = json;
  }

  /**
   * Loops, newest first, filtered by {@code state} (repeated or comma-separated), {@code
   * repository} and {@code startedBy}; paged with {@code limit} (1 to 500, default 50) and {@code
   * offset}.
   */
  @Parameter(in = ParameterIn.QUERY, name = "state", schema = @Schema(type = "string"),
      description = "repeated or comma-separated loop states")
  @Parameter(in = ParameterIn.QUERY, name = "repository", schema = @Schema(type = "string"))
  @Parameter(in = ParameterIn.QUERY, name = "startedBy", schema = @Schema(type = "string"))
  @Parameter(in = ParameterIn.QUERY, name = "limit", description = "default 50",
      schema = @Schema(type = "integer", minimum = "1", maximum = "500"))
  @Parameter(in = ParameterIn.QUERY, name = "offset", schema = @Schema(type = "integer"))
  @GetMapping
  LoopPage list(HttpServletRequest request) {
    return listing.list(LoopListQuery.read(request.getParameterMap()));
  }

  /**
   * The loop's progress as Server-Sent Events, until it ends; see {@link LoopEventDiff} for the
   * events and how {@code Last-Event-ID} resumes.
   */
  @ApiResponse(responseCode = "200", description = "the loop's events, one per change, until it ends",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
          schema = @Schema(type = "string", description = "Server-Sent Events: id, event, data (JSON)")))
  @ApiResponse(responseCode = "204", description = "the loop has ended and Last-Event-ID saw its last event",
      content = @Content)
  @GetMapping(path = "/{loopId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  ResponseEntity<SseEmitter> events(@PathVariable String loopId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @AuthenticationPrincipal ApiUser caller) {
    SseEmitter emitter = streams.open(LoopIds.require(loopId), caller.name(), lastEventId);
    if (emitter == null) {
      return ResponseEntity.noContent().build();
    }
    return ResponseEntity.ok()
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .body(emitter);
  }

  @ResponseStatus(HttpStatus.CREATED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<StartedLoop> start(
      @RequestBody(required = false) StartLoopBody body, @AuthenticationPrincipal ApiUser caller) {
    String loopId = starter.start(body, caller, Map.of()).loopId();
    return ResponseEntity.created(URI.create("/api/loops/" + loopId)).body(StartedLoop.of(loopId));
  }

  @GetMapping("/{loopId}")
  LoopStatus status(@PathVariable String loopId) {
    return loops.status(LoopIds.require(loopId));
  }

  @ResponseStatus(HttpStatus.ACCEPTED)
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

  /**
   * The loop's Temporal history as JSON, replayable, without Java stack traces or class names in
   * its failures ({@link ExportedHistory}); refused (409, and an audit entry) when a value in it
   * looks like a credential, which Forge never puts into a workflow.
   */
  @GetMapping("/{loopId}/history")
  String history(@PathVariable String loopId, @AuthenticationPrincipal ApiUser caller) {
    String history =
        ExportedHistory.withoutJavaInternals(loops.historyJson(LoopIds.require(loopId)));
    Optional<String> secret = HistorySecrets.find(history);
    if (secret.isPresent()) {
      audit.append(new AuditEntry("history.export.refused:" + loopId + ":" + UUID.randomUUID(),
          loopId, null, 0, caller.name(), "history.export.refused", loopId,
          Map.of("where", secret.get())));
      throw ApiException.conflict("loop " + loopId + "'s history holds a value that looks like a"
          + " credential, at " + secret.get() + "; it is not exported. Treat the credential as"
          + " leaked and rotate it; Forge should never have recorded it, so please report this");
    }
    return history;
  }

  /**
   * The loop's audit entries, oldest first, as a page: {@code limit} (1 to 1000, default 100) and
   * either {@code offset} or {@code after} (an entry id; {@code nextAfter} of a page fetches the
   * next one).
   */
  @Parameter(in = ParameterIn.QUERY, name = "limit", description = "1 to 1000, default 100",
      schema = @Schema(type = "integer"))
  @Parameter(in = ParameterIn.QUERY, name = "offset", description = "0 to 100000; not with after",
      schema = @Schema(type = "integer"))
  @Parameter(in = ParameterIn.QUERY, name = "after",
      description = "an entry id: the page after it (keyset)", schema = @Schema(type = "integer"))
  @GetMapping("/{loopId}/audit")
  AuditPage audit(@PathVariable String loopId, HttpServletRequest request) {
    AuditQuery query = AuditQuery.page(request.getParameterMap());
    loops.status(LoopIds.require(loopId));
    List<StoredAuditEntry> items = query.after() == null
        ? audit.forLoop(loopId, query.offset(), query.limit() + 1)
        : audit.forLoopAfter(loopId, query.after(), query.limit() + 1);
    Long nextAfter = null;
    if (items.size() > query.limit()) {
      items = items.subList(0, query.limit());
      nextAfter = items.get(items.size() - 1).id();
    }
    return new AuditPage(List.copyOf(items), query.limit(), query.offset(), query.after(), nextAfter);
  }

  /**
   * Every audit entry of the loop as JSON Lines ({@code application/x-ndjson}): one entry per line,
   * the same objects as in {@link #audit}'s items, in id order; {@code after} resumes after an
   * entry id. Streamed: entries are read from the database a batch at a time and written as they
   * come, so neither the server nor the database connection holds the whole log.
   */
  @Parameter(in = ParameterIn.QUERY, name = "after", description = "resume after an entry id",
      schema = @Schema(type = "integer"))
  @GetMapping(path = "/{loopId}/audit.jsonl", produces = AUDIT_JSONL)
  void auditJsonl(@PathVariable String loopId, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    long after = AuditQuery.exportAfter(request.getParameterMap());
    loops.status(LoopIds.require(loopId));
    response.setStatus(200);
    response.setContentType(AUDIT_JSONL);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + loopId + "-audit.jsonl\"");
    OutputStream out = response.getOutputStream();
    try {
      audit.forEachOfLoop(loopId, after, entry -> {
        try {
          out.write(json.writeValueAsBytes(entry));
          out.write('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.flush();
  }

  private void refuse(String loopId, ApiUser caller, String action, String why) {
    audit.append(new AuditEntry(action + ":" + UUID.randomUUID(), loopId, null, 0, caller.name(),
        action, loopId, Map.of("reason", why)));
  }
}
