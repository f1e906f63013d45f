package dev.forge.api.loops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forge.workflows.loop.LoopState;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A loop in a listing.
 *
 * @param state where it is; {@code null} when Temporal no longer knows a loop that never recorded
 *     its end (see {@code reason})
 * @param closedAt when it ended, once Forge has recorded that; absent before
 */
record LoopSummary(
    String loopId,
    LoopState state,
    String reason,
    String repository,
    String startedBy,
    int iteration,
    BigDecimal costUsd,
    Instant startedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant closedAt) {}
