package dev.forge.api.stepup;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Table {@code totp_enrolment} (migration V4): one encrypted secret per user and the last time
 * step a code of it was accepted. The application role may enrol (insert or replace) and move the
 * step forward; nothing else.
 */
final class TotpEnrolments {

  /** A stored enrolment: the sealed secret and the last step used. */
  record Stored(byte[] sealedSecret, long lastUsedStep) {}

  private final JdbcClient jdbc;

  TotpEnrolments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Enrols {@code user}, replacing an earlier enrolment (its codes stop working at once). */
  void enrol(String user, byte[] sealedSecret, String by) {
    jdbc.sql("""
            INSERT INTO totp_enrolment (user_name, secret_ciphertext, enrolled_by)
            VALUES (:user, :secret, :by)
            ON CONFLICT (user_name) DO UPDATE
               SET secret_ciphertext = EXCLUDED.secret_ciphertext, enrolled_at = now(),
                   enrolled_by = EXCLUDED.enrolled_by, last_used_step = -1
            """)
        .param("user", user).param("secret", sealedSecret).param("by", by).update();
  }

  Optional<Stored> find(String user) {
    return jdbc.sql("SELECT secret_ciphertext, last_used_step FROM totp_enrolment WHERE user_name = :user")
        .param("user", user)
        .query((rs, n) -> new Stored(rs.getBytes(1), rs.getLong(2)))
        .optional();
  }

  /** Marks {@code step} used; false when it (or a later one) was used already: a replay. */
  boolean use(String user, long step) {
    return jdbc.sql("""
            UPDATE totp_enrolment SET last_used_step = :step
             WHERE user_name = :user AND last_used_step < :step
            """)
        .param("user", user).param("step", step).update() == 1;
  }
}
