package dev.forge.audit;

import java.util.List;
import java.util.function.Consumer;

/** The append-only audit log. */
public interface AuditLog {

  /** How many entries {@link #forEachOfLoop} reads at a time. */
  int EXPORT_BATCH = 500;

  /**
   * Appends an entry. Idempotent: when an entry with the same request id exists, nothing is
   * written and {@code false} is returned.
   */
  boolean append(AuditEntry entry);

  /**
   * Whether this log has any entry of the loop: whether this Forge started it (another Forge on the
   * same Docker engine has its own log).
   */
  default boolean knowsLoop(String loopId) {
    return !forLoopAfter(loopId, 0, 1).isEmpty();
  }

  /** The loop's entries, oldest first. */
  List<StoredAuditEntry> forLoop(String loopId, int offset, int limit);

  /**
   * Up to {@code limit} of the loop's entries whose id is greater than {@code afterId}, in id order
   * (a keyset page: stable while entries are appended).
   */
  default List<StoredAuditEntry> forLoopAfter(String loopId, long afterId, int limit) {
    return forLoop(loopId, 0, Integer.MAX_VALUE).stream()
        .filter(e -> e.id() > afterId)
        .limit(limit)
        .toList();
  }

  /**
   * Hands every entry of the loop with an id greater than {@code afterId} to {@code each}, in id
   * order. Reads {@value #EXPORT_BATCH} at a time, so no more than that is ever held in memory, and
   * holds no database connection while {@code each} runs (it may write to a slow client).
   *
   * @return how many entries were handed over
   */
  default long forEachOfLoop(String loopId, long afterId, Consumer<StoredAuditEntry> each) {
    long after = afterId;
    long count = 0;
    while (true) {
      List<StoredAuditEntry> batch = forLoopAfter(loopId, after, EXPORT_BATCH);
      for (StoredAuditEntry entry : batch) {
        each.accept(entry);
      }
      count += batch.size();
      if (batch.size() < EXPORT_BATCH) {
        return count;
      }
      after = batch.get(batch.size() - 1).id();
    }
  }
}
