package dev.forge.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The loops Forge has started, read from the audit log (and the cost ledger), newest first. Only
 * reads: the audit log stays append-only.
 *
 * <p>A loop is known from its first {@code loop.start.requested} (written by the API) or {@code
 * loop.started} (written by the workflow) entry; it is closed once a {@code loop.finished}, {@code
 * loop.failed} or {@code loop.cancelled} entry exists. The state of a loop that is not closed lives
 * only in Temporal: ask the workflow.
 */
public final class LoopIndex {

  /** Which loops to list. */
  public record Filter(
      String repository, String startedBy, Set<String> closedStates, boolean includeOpen) {

    /**
     * @param repository only loops on this repository; {@code null}: any
     * @param startedBy only loops started by this user; {@code null}: anyone
     * @param closedStates closed loops in these terminal states; {@code null}: closed loops in any
     *     state; empty: no closed loops
     * @param includeOpen whether loops that are not closed are listed
     */
    public Filter {
      closedStates = closedStates == null ? null : Set.copyOf(closedStates);
    }
  }

  /** One page of loops and how many matched in all. */
  public record Page(List<LoopRecord> loops, long total) {}

  private static final String STARTS = "'loop.start.requested', 'loop.started'";
  private static final String ENDS = "'loop.finished', 'loop.failed', 'loop.cancelled'";

  private final JdbcClient jdbc;

  public LoopIndex(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Who started the loop and on which repository, from its first start entry; empty for a loop
   * Forge never recorded starting.
   */
  public Optional<LoopStart> start(String loopId) {
    return jdbc.sql("""
        SELECT actor, detail->>'repository' AS repository FROM audit_log
        WHERE loop_id = :loopId AND action IN (%s)
        ORDER BY id LIMIT 1
        """.formatted(STARTS))
        .param("loopId", loopId)
        .query((rs, n) -> new LoopStart(rs.getString("actor"), rs.getString("repository")))
        .optional();
  }

  /** Who started a loop, and on which repository. */
  public record LoopStart(String startedBy, String repository) {}

  public Page list(Filter filter, int offset, int limit) {
    if (offset < 0 || limit < 1) {
      throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
    }
    if (!filter.includeOpen() && filter.closedStates() != null && filter.closedStates().isEmpty()) {
      return new Page(List.of(), 0);
    }
    List<String> where = new ArrayList<>();
    if (filter.repository() != null) {
      where.add("s.repository = :repository");
    }
    if (filter.startedBy() != null) {
      where.add("s.started_by = :startedBy");
    }
    List<String> which = new ArrayList<>();
    if (filter.includeOpen()) {
      which.add("e.loop_id IS NULL");
    }
    if (filter.closedStates() == null) {
      which.add("e.loop_id IS NOT NULL");
    } else if (!filter.closedStates().isEmpty()) {
      which.add("e.state IN (:closedStates)");
    }
    where.add("(" + String.join(" OR ", which) + ")");
    String sql = """
        WITH s AS (
          SELECT DISTINCT ON (loop_id) loop_id, recorded_at AS started_at, actor AS started_by,
                 detail->>'repository' AS repository
          FROM audit_log
          WHERE action IN (%s) AND loop_id IS NOT NULL
          ORDER BY loop_id, id),
        e AS (
          SELECT DISTINCT ON (loop_id) loop_id, recorded_at AS closed_at, iteration,
                 CASE action WHEN 'loop.failed' THEN 'FAILED'
                             WHEN 'loop.cancelled' THEN 'CANCELLED'
                             ELSE detail->>'state' END AS state,
                 CASE action WHEN 'loop.cancelled' THEN 'cancelled'
                             ELSE detail->>'reason' END AS reason,
                 detail->>'costUsd' AS cost_usd
          FROM audit_log
          WHERE action IN (%s) AND loop_id IS NOT NULL
          ORDER BY loop_id, id)
        SELECT s.loop_id, s.started_at, s.started_by, s.repository,
               e.closed_at, e.iteration, e.state, e.reason,
               COALESCE((SELECT c.total_cost_usd FROM cost_ledger c WHERE c.loop_id = s.loop_id
                         ORDER BY c.iteration DESC LIMIT 1),
                        CAST(e.cost_usd AS NUMERIC), 0) AS cost_usd,
               count(*) OVER () AS total
        FROM s LEFT JOIN e ON e.loop_id = s.loop_id
        WHERE %s
        ORDER BY s.started_at DESC, s.loop_id DESC
        OFFSET :offset LIMIT :limit
        """.formatted(STARTS, ENDS, String.join(" AND ", where));
    JdbcClient.StatementSpec statement = jdbc.sql(sql)
        .param("offset", offset)
        .param("limit", limit);
    if (filter.repository() != null) {
      statement = statement.param("repository", filter.repository());
    }
    if (filter.startedBy() != null) {
      statement = statement.param("startedBy", filter.startedBy());
    }
    if (filter.closedStates() != null && !filter.closedStates().isEmpty()) {
      statement = statement.param("closedStates", List.copyOf(filter.closedStates()));
    }
    long[] total = {-1};
    List<LoopRecord> loops = statement.query((rs, n) -> {
      total[0] = rs.getLong("total");
      return row(rs);
    }).list();
    if (total[0] < 0) {
      // An empty page: beyond the end, or nothing matched at all.
      total[0] = offset == 0 ? 0 : list(filter, 0, 1).total();
    }
    return new Page(loops, total[0]);
  }

  private static LoopRecord row(ResultSet rs) throws SQLException {
    int iteration = rs.getInt("iteration");
    Integer closedIteration = rs.wasNull() ? null : iteration;
    return new LoopRecord(rs.getString("loop_id"), rs.getString("started_by"),
        rs.getString("repository"), rs.getTimestamp("started_at").toInstant(), rs.getString("state"),
        rs.getString("reason"), closedIteration, rs.getBigDecimal("cost_usd"),
        instant(rs.getTimestamp("closed_at")));
  }

  private static java.time.Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
