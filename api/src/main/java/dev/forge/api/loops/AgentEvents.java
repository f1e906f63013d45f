package dev.forge.api.loops;

import dev.forge.api.problems.InvalidInputException;
import dev.forge.audit.StoredAuditEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the agent did, as Forge saw it at its choke points, in a loop's event stream: the audit
 * entries the model gateway and the egress proxy write while a step runs ({@code model.call},
 * {@code model.refused}, {@code agent.tool}, {@code prompt.flagged}, {@code egress.denied}), each
 * sent as an event of that name, in the order they were recorded. Pure: the entries come from the
 * audit log, read by the stream.
 *
 * <p><b>Ids.</b> The status events' ids ({@link LoopEventDiff}) say how far a client got in the
 * loop's story; an agent event also has to say how far it got in the audit log. So once a stream
 * has sent an agent event, every id is {@code <status id>:<audit entry id>}: the id of the last
 * status event sent, and of the last agent entry sent. Before that, ids are the status ids alone,
 * as they always were. {@code Last-Event-ID} resumes both parts.
 */
final class AgentEvents {

  /** The audit actions streamed as agent events. */
  static final Set<String> ACTIONS =
      Set.of("model.call", "model.refused", "agent.tool", "prompt.flagged", "egress.denied");

  /** Audit entries read per query; a stream reads at most {@link #MAX_PAGES} pages a poll. */
  static final int PAGE = 500;

  static final int MAX_PAGES = 10;

  private AgentEvents() {}

  /** Where a stream is: the id of its last status event and of its last agent entry. */
  record Position(long status, long audit) {

    static final Position START = new Position(0, 0);

    /** The SSE id of an event at this position. */
    String id() {
      return audit == 0 ? Long.toString(status) : status + ":" + audit;
    }

    /**
     * The position a {@code Last-Event-ID} names.
     *
     * @throws InvalidInputException when it is not an id this stream could have sent
     */
    static Position parse(String header) {
      if (header == null || header.isBlank()) {
        return START;
      }
      String[] parts = header.strip().split(":", -1);
      if (parts.length <= 2) {
        try {
          long status = Long.parseLong(parts[0]);
          long audit = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
          if (status >= 0 && audit >= 0 && (parts.length == 1 || audit > 0)) {
            return new Position(status, audit);
          }
        } catch (NumberFormatException e) {
          // refused below
        }
      }
      throw new InvalidInputException("Last-Event-ID", "format",
          "must be the id of an event of this stream (a non-negative integer, or two joined by"
              + " ':')");
    }
  }

  /** The agent entries among {@code entries}, in their order. */
  static List<StoredAuditEntry> of(List<StoredAuditEntry> entries) {
    return entries.stream().filter(e -> ACTIONS.contains(e.action())).toList();
  }

  /** The event's data: the entry as {@code GET /api/loops/{id}/audit} shows it, less the loop. */
  static Map<String, Object> data(StoredAuditEntry entry) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("entryId", entry.id());
    data.put("recordedAt", entry.recordedAt() == null ? null : entry.recordedAt().toString());
    data.put("iteration", entry.iteration());
    data.put("actor", entry.actor());
    data.put("target", entry.target());
    data.put("detail", entry.detail());
    return data;
  }
}
