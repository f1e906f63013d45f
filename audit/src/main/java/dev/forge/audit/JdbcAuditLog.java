package dev.forge.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit log in PostgreSQL. Inserts are idempotent on the request id. */
public final class JdbcAuditLog implements AuditLog {

  private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  public JdbcAuditLog(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public boolean append(AuditEntry entry) {
    int inserted =
        jdbc.sql(
                """
                INSERT INTO audit_log
                    (request_id, loop_id, run_id, iteration, actor, action, target, detail)
                VALUES (:requestId, :loopId, :runId, :iteration, :actor, :action, :target,
                        CAST(:detail AS jsonb))
                ON CONFLICT (request_id) DO NOTHING
                """)
            .param("requestId", entry.requestId())
            .param("loopId", entry.loopId())
            .param("runId", entry.runId())
            .param("iteration", entry.iteration())
            .param("actor", entry.actor())
            .param("action", entry.action())
            .param("target", entry.target())
            .param("detail", toJson(entry.detail()))
            .update();
    return inserted == 1;
  }

  @Override
  public List<StoredAuditEntry> forLoop(String loopId, int offset, int limit) {
    return jdbc.sql(
            """
            SELECT id, recorded_at, request_id, loop_id, run_id, iteration, actor, action, target,
                   detail::text AS detail
            FROM audit_log WHERE loop_id = :loopId ORDER BY id OFFSET :offset LIMIT :limit
            """)
        .param("loopId", loopId)
        .param("offset", offset)
        .param("limit", limit)
        .query(this::row)
        .list();
  }

  @Override
  public List<StoredAuditEntry> forLoopAfter(String loopId, long afterId, int limit) {
    return jdbc.sql(
            """
            SELECT id, recorded_at, request_id, loop_id, run_id, iteration, actor, action, target,
                   detail::text AS detail
            FROM audit_log WHERE loop_id = :loopId AND id > :afterId ORDER BY id LIMIT :limit
            """)
        .param("loopId", loopId)
        .param("afterId", afterId)
        .param("limit", limit)
        .query(this::row)
        .list();
  }

  private StoredAuditEntry row(ResultSet rs, int rowNum) throws SQLException {
    return new StoredAuditEntry(
        rs.getLong("id"),
        rs.getTimestamp("recorded_at").toInstant(),
        rs.getString("request_id"),
        rs.getString("loop_id"),
        rs.getString("run_id"),
        rs.getInt("iteration"),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("target"),
        fromJson(rs.getString("detail")));
  }

  private String toJson(Map<String, Object> detail) {
    try {
      return json.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit detail is not serializable to JSON", e);
    }
  }

  private Map<String, Object> fromJson(String detail) {
    try {
      return json.readValue(detail, DETAIL);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit_log.detail holds invalid JSON", e);
    }
  }
}
