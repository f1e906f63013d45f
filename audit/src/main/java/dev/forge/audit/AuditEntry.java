package dev.forge.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * One audit-log entry as written. The database adds the timestamp.
 *
 * @param requestId idempotency key: the same key is stored once
 * @param loopId the loop, or {@code null} for entries not tied to one (e.g. a refused request)
 * @param runId the workflow run id, when written from inside a workflow or activity
 * @param iteration the iteration, 0 when not tied to one
 * @param actor a user name, {@code agent} or {@code forge}
 * @param action what happened, dotted lower case: {@code sandbox.command}, {@code gate.decided}
 * @param target what it happened to
 * @param detail further facts (stored as JSON); never secrets
 */
public record AuditEntry(
    String requestId,
    String loopId,
    String runId,
    int iteration,
    String actor,
    String action,
    String target,
    Map<String, Object> detail) {

  public AuditEntry {
    detail = detail == null ? Map.of() : new TreeMap<>(detail);
  }
}
