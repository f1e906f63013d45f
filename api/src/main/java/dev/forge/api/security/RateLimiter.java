package dev.forge.api.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token bucket per key (a token, a client address): {@code capacity} requests at once, refilled
 * evenly over {@code period}. In memory, so per Forge process. The number of keys is bounded:
 * past {@code maxKeys}, full (idle) buckets are dropped, as a full bucket is what a new key gets.
 */
final class RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  private final int capacity;
  private final double periodMillis;
  private final Clock clock;
  private final int maxKeys;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int capacity, Duration period, Clock clock, int maxKeys) {
    if (capacity < 1 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("a rate limit needs a capacity of at least 1 and a positive period");
    }
    this.capacity = capacity;
    this.periodMillis = period.toMillis();
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  /** Takes one request from the key's bucket: zero when it may go on, else how long to wait. */
  Duration take(String key) {
    long now = clock.millis();
    if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
      evictIdle(now);
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
    synchronized (bucket) {
      bucket.refill(now, capacity, periodMillis);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Duration.ZERO;
      }
      double missing = 1 - bucket.tokens;
      return Duration.ofMillis((long) Math.ceil(missing * periodMillis / capacity));
    }
  }

  int keys() {
    return buckets.size();
  }

  private void evictIdle(long now) {
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        e.getValue().refill(now, capacity, periodMillis);
        return e.getValue().tokens >= capacity;
      }
    });
    if (buckets.size() >= maxKeys) {
      // Every bucket is in use: forgetting them all lets requests through; refusing new keys
      // would lock out new clients instead. The limit recovers within one period.
      log.warn("rate limiter tracks {} busy keys; forgetting them", buckets.size());
      buckets.clear();
    }
  }

  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(int capacity, long now) {
      this.tokens = capacity;
      this.updated = now;
    }

    void refill(long now, int capacity, double periodMillis) {
      if (now > updated) {
        tokens = Math.min(capacity, tokens + (now - updated) * capacity / periodMillis);
        updated = now;
      }
    }
  }
}
