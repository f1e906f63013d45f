package dev.forge.workflows.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * One entry for the append-only audit log. The timestamp and workflow run id are added where the
 * entry is written.
 *
 * @param requestId idempotency key: writing the same id twice stores one entry
 * @param loopId the loop
 * @param iteration the iteration, 0 when not tied to one
 * @param actor who acted: a user name, {@code agent} or {@code forge}
 * @param action what happened, e.g. {@code gate.decided}
 * @param target what it happened to, e.g. a gate name or a commit
 * @param detail further facts, never secrets
 */
public record AuditRecord(
    String requestId,
    String loopId,
    int iteration,
    String actor,
    String action,
    String target,
    Map<String, String> detail) {

  public AuditRecord {
    detail = detail == null ? Map.of() : new TreeMap<>(detail);
  }
}
