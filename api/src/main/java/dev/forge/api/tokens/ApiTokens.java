package dev.forge.api.tokens;

import dev.forge.api.identity.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tokens admins create, in table {@code api_token} (migration V3). The application role may
 * insert and revoke them, nothing else; expiry and revocation are judged by the database's clock.
 */
public final class ApiTokens {

  private static final String COLUMNS = """
      id, name, roles, groups, created_at, created_by, expires_at, revoked_at, revoked_by,
      CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= now() THEN 'expired'
           ELSE 'active' END AS state
      """;

  private final JdbcClient jdbc;

  public ApiTokens(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A new token and its stored form; the token itself exists only in this answer. */
  public record Created(String token, StoredToken stored) {

    @Override
    public String toString() {
      return "Created[" + stored + "]"; // never the token
    }
  }

  /** A stored token with the hash a presented token is compared with. */
  public record Candidate(StoredToken token, byte[] sha256) {}

  public Created create(String name, Set<Role> roles, List<String> groups, Duration lifetime,
      String createdBy) {
    for (int attempt = 0; ; attempt++) {
      String id = TokenFormat.newId();
      String token = TokenFormat.newToken(id);
      try {
        jdbc.sql("""
                INSERT INTO api_token (id, token_sha256, name, roles, groups, created_by, expires_at)
                VALUES (:id, :hash, :name, :roles, :groups, :createdBy,
                        now() + make_interval(secs => :seconds))
                """)
            .param("id", id)
            .param("hash", TokenFormat.sha256(token))
            .param("name", name)
            .param("roles", roles.stream().map(Role::externalName).sorted().collect(Collectors.joining(",")))
            .param("groups", String.join(",", groups))
            .param("createdBy", createdBy)
            .param("seconds", (double) lifetime.toSeconds())
            .update();
        return new Created(token, find(id).orElseThrow().token());
      } catch (DuplicateKeyException e) {
        if (attempt >= 3) {
          throw e; // four random 62-bit ids colliding: something else is wrong
        }
      }
    }
  }

  public Optional<Candidate> find(String id) {
    return jdbc.sql("SELECT " + COLUMNS + ", token_sha256 FROM api_token WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> new Candidate(row(rs, n), rs.getBytes("token_sha256")))
        .optional();
  }

  /** Tokens, newest first; without {@code includeInactive} only those that still work. */
  public List<StoredToken> list(boolean includeInactive, int limit) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_token"
            + (includeInactive ? "" : " WHERE revoked_at IS NULL AND expires_at > now()")
            + " ORDER BY created_at DESC, id LIMIT :limit")
        .param("limit", limit)
        .query(this::row)
        .list();
  }

  /**
   * The user names and the group names of every token ever created, revoked and expired ones too:
   * their names still stand in histories and approver lists.
   */
  public KnownNames.Names names() {
    Set<String> users = new java.util.TreeSet<>();
    Set<String> groups = new java.util.TreeSet<>();
    jdbc.sql("SELECT name, groups FROM api_token").query((rs, n) -> {
      users.add(rs.getString("name"));
      groups.addAll(split(rs.getString("groups")));
      return null;
    }).list();
    return new KnownNames.Names(users, groups);
  }

  /** Revokes the token; false when it was revoked already (or does not exist). */
  public boolean revoke(String id, String by) {
    return jdbc.sql("""
            UPDATE api_token SET revoked_at = now(), revoked_by = :by
            WHERE id = :id AND revoked_at IS NULL
            """)
        .param("id", id)
        .param("by", by)
        .update() == 1;
  }

  private StoredToken row(ResultSet rs, int rowNum) throws SQLException {
    return new StoredToken(
        rs.getString("id"),
        rs.getString("name"),
        roles(rs.getString("roles")),
        split(rs.getString("groups")),
        instant(rs.getTimestamp("created_at")),
        rs.getString("created_by"),
        instant(rs.getTimestamp("expires_at")),
        instant(rs.getTimestamp("revoked_at")),
        rs.getString("revoked_by"),
        rs.getString("state"));
  }

  private static Set<Role> roles(String stored) {
    Set<Role> roles = new LinkedHashSet<>();
    split(stored).forEach(r -> roles.add(Role.parse(r)));
    return roles;
  }

  private static List<String> split(String stored) {
    return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
