package dev.forge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migration V4 against a real PostgreSQL: the application role may read TOTP enrolments, enrol
 * (insert or replace a secret) and move the last used step forward — and nothing else: no
 * deleting, no moving the step back (a used code would work again), no choosing the enrolment time.
 */
class TotpEnrolmentRolesIT {

  private static final String PASSWORD = "totp-roles-it";
  private static final byte[] SEALED = new byte[49];

  @RegisterExtension
  static final RolesDatabase db = new RolesDatabase(PASSWORD);

  @Test
  void shouldLetTheApplicationEnrolAndMoveTheStepForwardOnly() {
    db.app().sql("INSERT INTO totp_enrolment (user_name, secret_ciphertext, enrolled_by)"
        + " VALUES ('lead', :s, 'admin')").param("s", SEALED).update();
    assertThat(db.app().sql("UPDATE totp_enrolment SET last_used_step = 100 WHERE user_name = 'lead'"
        + " AND last_used_step < 100").update()).isEqualTo(1);

    for (String sql : List.of(
        "UPDATE totp_enrolment SET last_used_step = 99 WHERE user_name = 'lead'",
        "UPDATE totp_enrolment SET last_used_step = 100 WHERE user_name = 'lead'")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().hasMessageContaining("may only move forward");
    }
    assertThatThrownBy(() -> db.owner().sql("UPDATE totp_enrolment SET last_used_step = 1"
        + " WHERE user_name = 'lead'").update()).as("even for the owner")
        .rootCause().hasMessageContaining("may only move forward");
    assertThat(db.app().sql("SELECT last_used_step FROM totp_enrolment WHERE user_name = 'lead'")
        .query(Long.class).single()).isEqualTo(100L);
  }

  @Test
  void shouldLetANewEnrolmentReplaceTheSecretAndStartTheStepsOver() {
    db.app().sql("INSERT INTO totp_enrolment (user_name, secret_ciphertext, enrolled_by)"
        + " VALUES ('rita', :s, 'admin')").param("s", SEALED).update();
    db.app().sql("UPDATE totp_enrolment SET last_used_step = 500 WHERE user_name = 'rita'").update();
    byte[] other = new byte[49];
    other[0] = 1;

    db.app().sql("""
        INSERT INTO totp_enrolment (user_name, secret_ciphertext, enrolled_by)
        VALUES ('rita', :s, 'ada')
        ON CONFLICT (user_name) DO UPDATE
           SET secret_ciphertext = EXCLUDED.secret_ciphertext, enrolled_at = now(),
               enrolled_by = EXCLUDED.enrolled_by, last_used_step = -1
        """).param("s", other).update();

    assertThat(db.app().sql("SELECT last_used_step FROM totp_enrolment WHERE user_name = 'rita'")
        .query(Long.class).single()).isEqualTo(-1L);
  }

  @Test
  void shouldRefuseTheApplicationEverythingElse() {
    db.app().sql("INSERT INTO totp_enrolment (user_name, secret_ciphertext, enrolled_by)"
        + " VALUES ('tess', :s, 'admin')").param("s", SEALED).update();

    for (String sql : List.of(
        "DELETE FROM totp_enrolment WHERE user_name = 'tess'",
        "TRUNCATE totp_enrolment",
        "UPDATE totp_enrolment SET user_name = 'mallory' WHERE user_name = 'tess'",
        "INSERT INTO totp_enrolment (user_name, secret_ciphertext, enrolled_by, last_used_step)"
            + " VALUES ('x', '\\x00', 'a', 5)",
        "DROP TRIGGER totp_enrolment_forward_only ON totp_enrolment")) {
      assertThatThrownBy(() -> db.app().sql(sql).update()).as(sql)
          .rootCause().hasMessageMatching("(?s).*(must be owner|permission denied).*");
    }
    assertThat(db.app().sql("SELECT count(*) FROM totp_enrolment WHERE user_name = 'tess'")
        .query(Long.class).single()).isEqualTo(1L);
  }
}
