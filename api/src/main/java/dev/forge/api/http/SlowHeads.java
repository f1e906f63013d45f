package dev.forge.api.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finds connections that have been sending one request head for longer than the limit. Each sweep
 * looks at every open connection: one that is reading a head is timed from the first sweep that
 * saw it so; one that is not (idle between keep-alive requests, being served, streaming events)
 * is forgotten. So a head is bounded by the limit plus one sweep interval.
 *
 * @param <C> what identifies one connection
 */
final class SlowHeads<C> {

  private final long limitMillis;
  private final Map<C, Long> readingSince = new ConcurrentHashMap<>();

  SlowHeads(long limitMillis) {
    this.limitMillis = limitMillis;
  }

  /** Hands each connection whose head is overdue to {@code cut}, once. */
  void sweep(Iterable<C> connections, Predicate<C> readingHead, long now, Consumer<C> cut) {
    java.util.Set<C> seen = new java.util.HashSet<>();
    for (C connection : connections) {
      seen.add(connection);
      if (!readingHead.test(connection)) {
        readingSince.remove(connection);
        continue;
      }
      long since = readingSince.computeIfAbsent(connection, c -> now);
      if (since >= 0 && now - since > limitMillis) {
        readingSince.put(connection, -1L); // cut once; it stays marked until it is gone
        cut.accept(connection);
      }
    }
    readingSince.keySet().retainAll(seen);
  }
}
