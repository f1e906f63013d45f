package dev.forge.audit;

import java.time.Instant;
import java.util.Map;

/** An audit entry as read back, with its sequence number and timestamp. */
public record StoredAuditEntry(
    long id,
    Instant recordedAt,
    String requestId,
    String loopId,
    String runId,
    int iteration,
    String actor,
    String action,
    String target,
    Map<String, Object> detail) {}
