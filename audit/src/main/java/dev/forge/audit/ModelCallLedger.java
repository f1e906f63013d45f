package dev.forge.audit;

import java.math.BigDecimal;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The model calls of every agent step, in PostgreSQL (table {@code model_call}). */
public final class ModelCallLedger {

  /** Cost sources that charged a call its worst case, because its real cost was not readable. */
  public static final String UNREPORTED = "unreported";
  public static final String UNPRICED = "unpriced";

  private final JdbcClient jdbc;

  public ModelCallLedger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a call; returns {@code false} when it was recorded already. */
  public boolean record(ModelCallEntry e) {
    return jdbc.sql(
                """
                INSERT INTO model_call
                    (call_id, loop_id, iteration, step, attempt, provider, model, path, status,
                     streamed, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,
                     cost_usd, cost_source, reserved_usd, latency_ms, refusal_rule)
                VALUES (:callId, :loopId, :iteration, :step, :attempt, :provider, :model, :path,
                        :status, :streamed, :inputTokens, :cachedInputTokens, :cacheWriteTokens,
                        :outputTokens, :costUsd, :costSource, :reservedUsd, :latencyMs,
                        :refusalRule)
                ON CONFLICT (call_id) DO NOTHING
                """)
            .paramSource(e)
            .update()
        == 1;
  }

  /**
   * What every attempt of one step spent through the gateway so far: the durable part of the loop's
   * budget that a retried attempt must not hand out again.
   */
  public StepTotals totals(String loopId, int iteration, String step) {
    return jdbc.sql(
            """
            SELECT count(*) AS calls,
                   coalesce(sum(input_tokens), 0) AS input_tokens,
                   coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens,
                   coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,
                   coalesce(sum(output_tokens), 0) AS output_tokens,
                   coalesce(sum(cost_usd), 0) AS cost_usd,
                   count(*) FILTER (WHERE refusal_rule = 'cost_cap') AS refused_for_cap,
                   count(*) FILTER (WHERE cost_source IN ('unreported', 'unpriced')) AS unmetered,
                   (SELECT model FROM model_call m
                     WHERE m.loop_id = :loopId AND m.iteration = :iteration AND m.step = :step
                       AND m.model IS NOT NULL AND m.refusal_rule IS NULL
                     ORDER BY m.recorded_at DESC, m.call_id LIMIT 1) AS model
            FROM model_call
            WHERE loop_id = :loopId AND iteration = :iteration AND step = :step
            """)
        .param("loopId", loopId)
        .param("iteration", iteration)
        .param("step", step)
        .query(StepTotals.class)
        .single();
  }

  /**
   * The sums of one step's calls.
   *
   * @param refusedForCap calls the gateway refused because the budget could not hold them
   * @param unmetered calls charged their worst case because their cost could not be read
   * @param model the model of the latest forwarded call, or {@code null}
   */
  public record StepTotals(long calls, long inputTokens, long cachedInputTokens,
      long cacheWriteTokens, long outputTokens, BigDecimal costUsd, long refusedForCap,
      long unmetered, String model) {}
}
