package dev.forge.audit;

import java.util.List;

/** The append-only audit log. */
public interface AuditLog {

  /**
   * Appends an entry. Idempotent: when an entry with the same request id exists, nothing is
   * written and {@code false} is returned.
   */
  boolean append(AuditEntry entry);

  /** The loop's entries, oldest first. */
  List<StoredAuditEntry> forLoop(String loopId, int offset, int limit);
}
