package dev.forge.api.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks out a client address (or, for step-up, a user) after {@code maxFailures} failed authentications within {@code
 * window}, for {@code duration}. Successful requests do not reset the count (an attacker holding
 * one valid token could otherwise interleave guesses forever). In memory, per Forge process; the
 * number of addresses tracked is bounded.
 */
public final class FailureLockout {

  private final int maxFailures;
  private final long windowMillis;
  private final long durationMillis;
  private final Clock clock;
  private final int maxKeys;
  private final Map<String, Record> records = new ConcurrentHashMap<>();

  public FailureLockout(int maxFailures, Duration window, Duration duration, Clock clock, int maxKeys) {
    this.maxFailures = maxFailures;
    this.windowMillis = window.toMillis();
    this.durationMillis = duration.toMillis();
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  /** How much longer the address is locked out; zero when it is not. */
  public Duration lockedFor(String address) {
    Record record = records.get(address);
    if (record == null) {
      return Duration.ZERO;
    }
    long now = clock.millis();
    synchronized (record) {
      return record.lockedUntil > now ? Duration.ofMillis(record.lockedUntil - now) : Duration.ZERO;
    }
  }

  /** Counts a failure; true when this failure locked the address out. */
  public boolean recordFailure(String address) {
    long now = clock.millis();
    if (records.size() >= maxKeys && !records.containsKey(address)) {
      records.entrySet().removeIf(e -> e.getValue().forgettable(now, windowMillis));
    }
    Record record = records.computeIfAbsent(address, a -> new Record(now));
    synchronized (record) {
      if (record.lockedUntil > now) {
        return false;
      }
      if (now - record.windowStart > windowMillis) {
        record.windowStart = now;
        record.failures = 0;
      }
      record.failures++;
      if (record.failures >= maxFailures) {
        record.lockedUntil = now + durationMillis;
        record.failures = 0;
        record.windowStart = now;
        return true;
      }
      return false;
    }
  }

  private static final class Record {
    private long windowStart;
    private int failures;
    private long lockedUntil;

    Record(long now) {
      this.windowStart = now;
    }

    synchronized boolean forgettable(long now, long windowMillis) {
      return lockedUntil <= now && now - windowStart > windowMillis;
    }
  }
}
