package dev.forge.audit;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A loop as Forge's own records know it: who started it on which repository, and, once it has
 * ended, how.
 *
 * @param loopId the loop's id
 * @param startedBy the engineer who started it
 * @param repository the repository it works on (its real path)
 * @param startedAt when it was started (the API's {@code loop.start.requested} entry, or the
 *     workflow's {@code loop.started} for loops started before the API recorded starts)
 * @param closedState the terminal state from its {@code loop.finished}, {@code loop.failed} or
 *     {@code loop.cancelled} entry; {@code null} while no such entry exists (the loop is live)
 * @param closedReason why it ended, {@code null} while live
 * @param closedIteration the iteration it ended in, {@code null} while live
 * @param costUsd what it cost according to the cost ledger (0 when nothing was recorded)
 * @param closedAt when its closing entry was recorded, {@code null} while live
 */
public record LoopRecord(
    String loopId,
    String startedBy,
    String repository,
    Instant startedAt,
    String closedState,
    String closedReason,
    Integer closedIteration,
    BigDecimal costUsd,
    Instant closedAt) {

  public boolean closed() {
    return closedState != null;
  }
}
