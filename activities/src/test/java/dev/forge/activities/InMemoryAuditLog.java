package dev.forge.activities;

import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.StoredAuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An audit log in memory with the same idempotency rule as the Postgres one, for unit tests. */
public final class InMemoryAuditLog implements AuditLog {

  private final List<StoredAuditEntry> entries = new ArrayList<>();

  @Override
  public synchronized boolean append(AuditEntry e) {
    if (entries.stream().anyMatch(s -> s.requestId().equals(e.requestId()))) {
      return false;
    }
    entries.add(
        new StoredAuditEntry(
            entries.size() + 1L,
            Instant.now(),
            e.requestId(),
            e.loopId(),
            e.runId(),
            e.iteration(),
            e.actor(),
            e.action(),
            e.target(),
            e.detail()));
    return true;
  }

  @Override
  public synchronized List<StoredAuditEntry> forLoop(String loopId, int offset, int limit) {
    return entries.stream()
        .filter(s -> loopId.equals(s.loopId()))
        .skip(offset)
        .limit(limit)
        .toList();
  }

  public synchronized List<StoredAuditEntry> all() {
    return List.copyOf(entries);
  }
}
