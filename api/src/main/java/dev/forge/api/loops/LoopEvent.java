package dev.forge.api.loops;

import java.util.Map;

/**
 * One Server-Sent Event of a loop's stream.
 *
 * @param id the SSE id, increasing within the stream (see {@link LoopEventDiff} for how it is made)
 * @param name the SSE event name: {@code state}, {@code iteration.started}, {@code
 *     iteration.finished}, {@code cost}, {@code checkpoint}, {@code gate.requested}, {@code
 *     gate.decided} or {@code terminal}
 * @param data the JSON payload
 */
record LoopEvent(long id, String name, Map<String, Object> data) {

  LoopEvent {
    data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }
}
