package dev.forge.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Removes audit entries older than {@code forge.audit.retention}, once when the application starts
 * and then daily. The application's database role cannot DELETE from the audit log: this calls
 * {@code forge_purge_audit}, the owner's SECURITY DEFINER function (migration V2), which refuses to
 * remove anything younger than one day and records each purge as an {@code audit.purged} entry.
 * A retention of 0 keeps everything forever and never calls it.
 *
 * <p>Also warns, once at start, when the application connects as a role that owns the audit log or
 * is a superuser: such a role can drop the append-only triggers.
 */
public final class AuditRetention implements SmartLifecycle {

  /** The shortest retention; the database function refuses anything younger as well. */
  public static final Duration MINIMUM = Duration.ofDays(1);

  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

  private final JdbcClient jdbc;
  private final Duration retention;
  private final Clock clock;
  private final Duration interval;
  private ScheduledExecutorService scheduler;

  /**
   * @param retention how long entries are kept: {@link Duration#ZERO} for ever, otherwise at least
   *     {@link #MINIMUM}
   * @param interval how often the purge runs after the first one, at start
   */
  public AuditRetention(JdbcClient jdbc, Duration retention, Clock clock, Duration interval) {
    if (retention == null || retention.isNegative()
        || (!retention.isZero() && retention.compareTo(MINIMUM) < 0)) {
      throw new IllegalArgumentException("forge.audit.retention must be 0 (keep the audit log"
          + " forever) or at least 1d, got " + retention);
    }
    this.jdbc = jdbc;
    this.retention = retention;
    this.clock = clock;
    this.interval = interval;
  }

  public Duration retention() {
    return retention;
  }

  /**
   * Removes the entries recorded before now minus the retention.
   *
   * @return how many were removed (0 when the retention is 0)
   */
  public long purgeOnce() {
    if (retention.isZero()) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(retention);
    Long removed = jdbc.sql("SELECT forge_purge_audit(:cutoff)")
        .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .query(Long.class)
        .single();
    if (removed != null && removed > 0) {
      log.info("audit retention: removed {} entries recorded before {}", removed, cutoff);
    }
    return removed == null ? 0 : removed;
  }

  @Override
  public synchronized void start() {
    warnWhenTheRoleCanChangeTheAuditLog();
    if (retention.isZero()) {
      log.info("audit retention: 0, the audit log is kept forever");
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "forge-audit-retention");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::purgeQuietly, 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  private void purgeQuietly() {
    try {
      purgeOnce();
    } catch (RuntimeException e) {
      log.warn("audit retention: the purge failed; it is tried again in {}", interval, e);
    }
  }

  private void warnWhenTheRoleCanChangeTheAuditLog() {
    try {
      Boolean powerful = jdbc.sql("""
              SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'MEMBER')
              FROM pg_class c, pg_roles r
              WHERE c.oid = 'audit_log'::regclass AND r.rolname = current_user
              """)
          .query(Boolean.class)
          .single();
      if (Boolean.TRUE.equals(powerful)) {
        log.warn("the application connects to PostgreSQL as a role that owns audit_log or is a"
            + " superuser: it could drop the append-only triggers. Connect as the application role"
            + " (spring.datasource.username) and run migrations as the owner (spring.flyway.user);"
            + " see docs/configuration.md, 'Database roles'");
      }
    } catch (RuntimeException e) {
      log.warn("cannot check the application's database role", e);
    }
  }
}
