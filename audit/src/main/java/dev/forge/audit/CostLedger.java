package dev.forge.audit;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What each iteration of each loop cost, in PostgreSQL. One row per loop and iteration. */
public final class CostLedger {

  private final JdbcClient jdbc;

  public CostLedger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records an iteration; returns {@code false} when it was already recorded (a retry). */
  public boolean record(CostEntry e) {
    return jdbc.sql(
                """
                INSERT INTO cost_ledger
                    (loop_id, iteration, input_tokens, cached_input_tokens, cache_write_tokens,
                     output_tokens, cost_usd, cost_source, model, total_cost_usd, cap_usd)
                VALUES (:loopId, :iteration, :inputTokens, :cachedInputTokens, :cacheWriteTokens,
                        :outputTokens, :costUsd, :costSource, :model, :totalCostUsd, :capUsd)
                ON CONFLICT (loop_id, iteration) DO NOTHING
                """)
            .paramSource(e)
            .update()
        == 1;
  }

  public List<CostEntry> forLoop(String loopId) {
    return jdbc.sql(
            """
            SELECT loop_id, iteration, input_tokens, cached_input_tokens, cache_write_tokens,
                   output_tokens, cost_usd, cost_source, model, total_cost_usd, cap_usd
            FROM cost_ledger WHERE loop_id = :loopId ORDER BY iteration
            """)
        .param("loopId", loopId)
        .query(CostEntry.class)
        .list();
  }
}
