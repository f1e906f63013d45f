package dev.forge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migration V3 against a real PostgreSQL: the application role may read API tokens, insert new
 * ones and revoke them once — and nothing else: no deleting, no changing a token's hash, name,
 * roles or expiry, no backdating, no undoing or redating a revocation.
 */
class ApiTokenRolesIT {

  private static final String PASSWORD = "token-roles-it";
  @RegisterExtension
  static final RolesDatabase db = new RolesDatabase(PASSWORD);

  @Test
  void shouldLetTheApplicationRoleInsertReadAndRevokeATokenOnce() {
    insertAsApp("aaaaaaaaaaa1", "alice");

    assertThat(db.app().sql("SELECT name FROM api_token WHERE id = 'aaaaaaaaaaa1'").query(String.class).single())
        .isEqualTo("alice");
    int revoked = db.app().sql("UPDATE api_token SET revoked_at = now(), revoked_by = 'ada'"
        + " WHERE id = 'aaaaaaaaaaa1' AND revoked_at IS NULL").update();
    assertThat(revoked).isEqualTo(1);

    for (String sql : List.of(
        "UPDATE api_token SET revoked_at = NULL, revoked_by = NULL WHERE id = 'aaaaaaaaaaa1'",
        "UPDATE api_token SET revoked_at = now() + interval '1 year', revoked_by = 'x' WHERE id = 'aaaaaaaaaaa1'")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().hasMessageContaining("revoked already");
    }
  }

  @Test
  void shouldRecordTheRevocationAtTheDatabasesTimeWhateverTheApplicationSends() {
    insertAsApp("aaaaaaaaaaa2", "bob");

    db.app().sql("UPDATE api_token SET revoked_at = '2000-01-01T00:00:00Z', revoked_by = 'ada'"
        + " WHERE id = 'aaaaaaaaaaa2'").update();

    Timestamp revokedAt = db.owner().sql("SELECT revoked_at FROM api_token WHERE id = 'aaaaaaaaaaa2'")
        .query(Timestamp.class).single();
    assertThat(revokedAt.toInstant()).isAfter(Instant.now().minusSeconds(60));
  }

  @Test
  void shouldRefuseEverythingElseToTheApplicationRole() {
    insertAsApp("aaaaaaaaaaa3", "carol");

    for (String sql : List.of(
        "DELETE FROM api_token WHERE id = 'aaaaaaaaaaa3'",
        "TRUNCATE api_token",
        "UPDATE api_token SET roles = 'admin' WHERE id = 'aaaaaaaaaaa3'",
        "UPDATE api_token SET expires_at = now() + interval '10 years' WHERE id = 'aaaaaaaaaaa3'",
        "UPDATE api_token SET token_sha256 = sha256('x') WHERE id = 'aaaaaaaaaaa3'",
        "UPDATE api_token SET name = 'root' WHERE id = 'aaaaaaaaaaa3'",
        "INSERT INTO api_token (id, token_sha256, name, roles, created_by, expires_at, created_at)"
            + " VALUES ('aaaaaaaaaaa4', sha256('4'), 'd', 'viewer', 'ada', now() + interval '1 day',"
            + " now() - interval '1 year')",
        "INSERT INTO api_token (id, token_sha256, name, roles, created_by, expires_at, revoked_at, revoked_by)"
            + " VALUES ('aaaaaaaaaaa5', sha256('5'), 'e', 'viewer', 'ada', now() + interval '1 day', now(), 'x')",
        "ALTER TABLE api_token DISABLE TRIGGER api_token_only_revocations",
        "DROP TRIGGER api_token_only_revocations ON api_token")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().message().containsAnyOf("permission denied", "must be owner");
    }
    assertThat(db.owner().sql("SELECT roles FROM api_token WHERE id = 'aaaaaaaaaaa3'").query(String.class).single())
        .isEqualTo("engineer");
  }

  @Test
  void shouldRefuseTokensThatNeverExpireOrHaveNoRealHash() {
    for (String sql : List.of(
        "INSERT INTO api_token (id, token_sha256, name, roles, created_by, expires_at)"
            + " VALUES ('aaaaaaaaaaa6', sha256('6'), 'f', 'viewer', 'ada', now() - interval '1 second')",
        "INSERT INTO api_token (id, token_sha256, name, roles, created_by, expires_at)"
            + " VALUES ('aaaaaaaaaaa7', '\\x00', 'g', 'viewer', 'ada', now() + interval '1 day')",
        "INSERT INTO api_token (id, token_sha256, name, roles, created_by, expires_at)"
            + " VALUES ('NOT-AN-ID', sha256('8'), 'h', 'viewer', 'ada', now() + interval '1 day')")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().hasMessageContaining("violates check constraint");
    }
  }

  private static void insertAsApp(String id, String name) {
    db.app().sql("INSERT INTO api_token (id, token_sha256, name, roles, groups, created_by, expires_at)"
            + " VALUES (:id, sha256(CAST(:id AS bytea)), :name, 'engineer', '', 'ada', now() + interval '1 day')")
        .param("id", id).param("name", name).update();
  }
}
