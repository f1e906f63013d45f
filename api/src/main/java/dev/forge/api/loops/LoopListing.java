package dev.forge.api.loops;

import dev.forge.api.problems.ApiException;
import dev.forge.audit.LoopIndex;
import dev.forge.audit.LoopRecord;
import dev.forge.workflows.loop.LoopState;
import dev.forge.workflows.loop.LoopStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/loops}: which loops exist comes from Forge's own records ({@link LoopIndex}, the
 * audit log), and so do the state, reason, iteration and cost of every loop that has ended; the
 * state of a loop that has not ended comes from its workflow's status query.
 *
 * <p>Closed loops are filtered and paged in SQL. Loops that have not ended are few (the ones
 * running or waiting at a gate now), so they are read whole and, when a state filter needs it,
 * each asked for its state; the two newest-first lists are then merged.
 */
final class LoopListing {

  /** Loops not ended that one listing looks at, at most. */
  static final int MAX_OPEN = 10_000;
  private static final Comparator<LoopRecord> NEWEST_FIRST =
      Comparator.comparing(LoopRecord::startedAt).thenComparing(LoopRecord::loopId).reversed();

  private final LoopIndex index;
  private final Loops loops;

  LoopListing(LoopIndex index, Loops loops) {
    this.index = index;
    this.loops = loops;
  }

  LoopPage list(LoopListQuery query) {
    Set<LoopState> states = query.states();
    boolean anyState = states.isEmpty();
    Set<String> closedStates = anyState ? null : states.stream().filter(LoopState::isTerminal)
        .map(Enum::name).collect(Collectors.toSet());
    int window = query.offset() + query.limit();
    LoopIndex.Page closed = index.list(new LoopIndex.Filter(query.repository(), query.startedBy(),
        closedStates, false), 0, window);
    List<LoopRecord> open = index.list(new LoopIndex.Filter(query.repository(), query.startedBy(),
        Set.of(), true), 0, MAX_OPEN).loops();

    List<Row> openRows = new ArrayList<>();
    for (LoopRecord record : open) {
      // With a state filter, every open loop must be asked; without one, only those on the page.
      Row row = new Row(record, anyState ? null : live(record));
      if (anyState || (row.summary().state() != null && states.contains(row.summary().state()))) {
        openRows.add(row);
      }
    }
    List<Row> merged = new ArrayList<>(openRows);
    closed.loops().forEach(record -> merged.add(new Row(record, closedSummary(record))));
    merged.sort(Comparator.comparing(Row::record, NEWEST_FIRST));
    List<LoopSummary> items = new ArrayList<>();
    for (int i = query.offset(); i < Math.min(merged.size(), window); i++) {
      Row row = merged.get(i);
      items.add(row.summary() != null ? row.summary() : live(row.record()));
    }
    return new LoopPage(items, query.offset(), query.limit(), closed.total() + openRows.size());
  }

  private record Row(LoopRecord record, LoopSummary summary) {}

  private static LoopSummary closedSummary(LoopRecord record) {
    LoopState state;
    try {
      state = LoopState.valueOf(record.closedState());
    } catch (IllegalArgumentException e) {
      state = null;
    }
    return new LoopSummary(record.loopId(), state, record.closedReason(), record.repository(),
        record.startedBy(), record.closedIteration() == null ? 0 : record.closedIteration(),
        cost(record.costUsd()), record.startedAt(), record.closedAt());
  }

  /** A loop that has not recorded its end, as its workflow tells it. */
  private LoopSummary live(LoopRecord record) {
    LoopState state = null;
    String reason;
    int iteration = 0;
    BigDecimal cost = cost(record.costUsd());
    try {
      LoopStatus status = loops.peek(record.loopId());
      if (status == null) {
        state = LoopState.STARTING;
        reason = "starting";
      } else {
        state = status.state();
        reason = status.reason();
        iteration = status.iteration();
        cost = cost(status.costUsd());
      }
    } catch (ApiException e) {
      reason = e.status() == 404
          ? "Temporal does not know this loop (any more), and it recorded no end: it was lost,"
              + " e.g. when the embedded Temporal restarted"
          : "the Temporal service is not reachable; its state is unknown for now";
    }
    return new LoopSummary(record.loopId(), state, reason, record.repository(), record.startedBy(),
        iteration, cost, record.startedAt(), null);
  }

  private static BigDecimal cost(BigDecimal cost) {
    return cost == null ? BigDecimal.ZERO : cost;
  }
}
