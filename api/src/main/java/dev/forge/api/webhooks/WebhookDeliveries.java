package dev.forge.api.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The delivery ids already accepted, per source, in Postgres (table {@code webhook_delivery},
 * migration V5), so a replay is refused across restarts and by every Forge sharing the database.
 * Remembering is one INSERT: its primary-key conflict is the replay, with no read-then-write race.
 * Ids older than a day (longer than any timestamp tolerance, see WebhookProperties) are forgotten,
 * at most once per {@link #PURGE_EVERY}.
 */
final class WebhookDeliveries {

  static final Duration PURGE_EVERY = Duration.ofMinutes(10);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

  WebhookDeliveries(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Remembers the delivery; false when it was remembered already: a replay. */
  boolean firstTime(String source, String delivery) {
    purgeNowAndThen();
    return jdbc.sql("INSERT INTO webhook_delivery (source, delivery_id) VALUES (:source, :delivery)"
            + " ON CONFLICT DO NOTHING")
        .param("source", source)
        .param("delivery", delivery)
        .update() == 1;
  }

  private void purgeNowAndThen() {
    Instant now = clock.instant();
    Instant last = lastPurge.get();
    if (now.isBefore(last.plus(PURGE_EVERY)) || !lastPurge.compareAndSet(last, now)) {
      return;
    }
    // A minute's margin over the table's own rule (kept a day), whatever the clocks say.
    jdbc.sql("DELETE FROM webhook_delivery WHERE received_at < now() - interval '1 day 1 minute'")
        .update();
  }
}
