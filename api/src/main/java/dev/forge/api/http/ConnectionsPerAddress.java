package dev.forge.api.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open connections of each client address and refuses one beyond the limit. Each
 * connection is acquired once and released once (a second release of it is a no-op), so the
 * counts stay right whichever way a connection ends.
 *
 * @param <C> what identifies one connection
 */
final class ConnectionsPerAddress<C> {

  private final int limit;
  private final Map<C, String> open = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  ConnectionsPerAddress(int limit) {
    this.limit = limit;
  }

  /** Counts the connection under its address; false (and not counted) when the address is at its limit. */
  boolean acquire(C connection, String address) {
    boolean[] taken = {false};
    counts.compute(address, (a, n) -> {
      int now = n == null ? 0 : n;
      if (now >= limit) {
        return n;
      }
      taken[0] = true;
      return now + 1;
    });
    if (taken[0]) {
      open.put(connection, address);
    }
    return taken[0];
  }

  void release(C connection) {
    String address = open.remove(connection);
    if (address != null) {
      counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  int openFrom(String address) {
    return counts.getOrDefault(address, 0);
  }
}
