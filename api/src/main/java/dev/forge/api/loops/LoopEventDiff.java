package dev.forge.api.loops;

import dev.forge.workflows.loop.GateView;
import dev.forge.workflows.loop.IterationSummary;
import dev.forge.workflows.loop.LoopStatus;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns successive {@link LoopStatus} snapshots of one loop into the events of its stream. Pure:
 * no I/O, no clock; one instance per stream.
 *
 * <p><b>Happenings</b> ({@code iteration.started}, {@code checkpoint}, {@code iteration.finished},
 * {@code gate.requested}, {@code gate.approval}, {@code gate.reminder}, {@code gate.escalated},
 * {@code gate.decided}, {@code terminal}) are derived from the snapshot's
 * append-only lists in the order the workflow produces them: per iteration its start, its
 * checkpoints, its end; then the final checkpoint and the squash; then each gate's request and
 * decision; then any later checkpoint (those a cancellation takes); then {@code terminal}. That sequence only ever
 * grows at its end, so happening number {@code n} is the same event on every connection, however
 * often the status was polled: its id is {@code n * 1000}.
 *
 * <p><b>Values</b> ({@code state} with state and reason, {@code cost} with the running totals) are
 * sent whenever they differ from what this stream last sent. Their ids continue after the happening
 * before them: {@code n * 1000 + 1}, {@code + 2}, ...
 *
 * <p><b>Resuming</b> with {@code Last-Event-ID: k}: happenings with an id up to {@code k} are
 * skipped; the current state and cost are sent again (with ids above {@code k}), since a value may
 * have changed while the client was away. Within one snapshot, events come in the order happenings,
 * cost, state, terminal.
 */
final class LoopEventDiff {

  static final long STEP = 1000;

  private int happeningsSent;
  private long valuesSinceHappening;
  private String lastState;
  private BigDecimal lastCost;
  private boolean terminalSent;

  /** A diff for a new stream, sending everything from the loop's start. */
  LoopEventDiff() {
    this(0);
  }

  /** A diff for a stream resumed after the event with id {@code lastEventId}. */
  LoopEventDiff(long lastEventId) {
    if (lastEventId < 0) {
      throw new IllegalArgumentException("event ids are not negative");
    }
    this.happeningsSent = Math.toIntExact(lastEventId / STEP);
    this.valuesSinceHappening = lastEventId % STEP;
  }

  /** Events from {@code before} to {@code after}, as a stream that had seen {@code before} sends. */
  static List<LoopEvent> between(LoopStatus before, LoopStatus after, boolean afterClosed) {
    LoopEventDiff diff = new LoopEventDiff();
    diff.next(before, false);
    return diff.next(after, afterClosed);
  }

  /** How many happenings the loop has had by {@code status}. */
  static int happenings(LoopStatus status, boolean closed) {
    return history(status, closed).size();
  }

  /**
   * The events this snapshot adds to what was sent.
   *
   * @param closed whether the loop's workflow has closed: {@code terminal} is only sent then,
   *     since a loop that has entered a terminal state may still be taking its last checkpoint
   */
  List<LoopEvent> next(LoopStatus status, boolean closed) {
    List<LoopEvent> events = new ArrayList<>();
    List<Happening> history = history(status, closed);
    Happening terminal = null;
    for (int i = happeningsSent; i < history.size(); i++) {
      Happening happening = history.get(i);
      if (happening.name().equals("terminal")) {
        terminal = happening;
        break;
      }
      happeningsSent = i + 1;
      valuesSinceHappening = 0;
      if (happening.data() != null) {
        events.add(new LoopEvent(happeningsSent * STEP, happening.name(), happening.data()));
      }
    }
    if (lastCost == null || lastCost.compareTo(cost(status)) != 0) {
      lastCost = cost(status);
      events.add(value("cost", costData(status)));
    }
    String state = status.state() + "\n" + status.reason();
    if (!state.equals(lastState)) {
      lastState = state;
      events.add(value("state", data("state", status.state(), "reason", status.reason())));
    }
    if (terminal != null) {
      happeningsSent = history.size();
      valuesSinceHappening = 0;
      events.add(new LoopEvent(happeningsSent * STEP, terminal.name(), terminal.data()));
    }
    if (closed && status.state().isTerminal()) {
      terminalSent = true;
    }
    return events;
  }

  /** Whether the stream has said everything: the loop has ended and {@code terminal} is out. */
  boolean finished() {
    return terminalSent;
  }

  private LoopEvent value(String name, Map<String, Object> data) {
    if (valuesSinceHappening < STEP - 1) {
      valuesSinceHappening++;
    }
    return new LoopEvent(happeningsSent * STEP + valuesSinceHappening, name, data);
  }

  /**
   * Something that happened to the loop; {@code data} is null for one the status no longer shows
   * (after the loop continued as new it lists only its latest checkpoints and iterations), which
   * keeps its place, so that event ids stay the same, but is not sent.
   */
  private record Happening(String name, Map<String, Object> data) {}

  /** Every happening of the loop so far, in the order the workflow produced them. */
  private static List<Happening> history(LoopStatus status, boolean closed) {
    List<Happening> history = new ArrayList<>();
    List<Checkpoint> checkpoints = status.checkpoints() == null ? List.of() : status.checkpoints();
    List<IterationSummary> finished = status.iterations() == null ? List.of() : status.iterations();
    List<GateView> gates = status.gates() == null ? List.of() : status.gates();
    boolean[] placed = new boolean[checkpoints.size()];
    for (int iteration = 1; iteration <= status.iteration(); iteration++) {
      history.add(new Happening("iteration.started",
          data("iteration", iteration, "maxIterations", status.maxIterations())));
      if (iteration <= status.earlierCheckpoints()) {
        history.add(new Happening("checkpoint", null));
      }
      for (int c = 0; c < checkpoints.size(); c++) {
        Checkpoint checkpoint = checkpoints.get(c);
        if (checkpoint.iteration() == iteration
            && checkpoint.kind() == CheckpointKind.BEFORE_ITERATION) {
          placed[c] = true;
          history.add(checkpoint(checkpoint));
        }
      }
      if (iteration <= status.earlierIterations()) {
        history.add(new Happening("iteration.finished", null));
      }
      for (IterationSummary summary : finished) {
        if (summary.iteration() == iteration) {
          history.add(iterationFinished(summary));
        }
      }
    }
    placeFirst(CheckpointKind.FINAL, checkpoints, placed, history);
    placeFirst(CheckpointKind.SQUASHED, checkpoints, placed, history);
    for (GateView gate : gates) {
      history.add(new Happening("gate.requested", data("gate", gate.name(),
          "checkpointSha", gate.checkpointSha(), "approvers", gate.approvers(),
          "requestedAtMillis", gate.requestedAtMillis(), "deadlineMillis", gate.deadlineMillis())));
      history.addAll(GateHappenings.whileWaiting(gate).stream()
          .map(h -> new Happening(h.name(), h.data())).toList());
      if (!GateView.PENDING.equals(gate.state())) {
        history.add(new Happening("gate.decided", data("gate", gate.name(),
            "decision", gate.state(), "decidedBy", gate.decidedBy(), "comment", gate.comment())));
      }
    }
    for (int c = 0; c < checkpoints.size(); c++) {
      if (!placed[c]) {
        history.add(checkpoint(checkpoints.get(c)));
      }
    }
    if (closed && status.state().isTerminal()) {
      history.add(new Happening("terminal", data("state", status.state(),
          "reason", status.reason(), "iteration", status.iteration(),
          "costUsd", cost(status))));
    }
    return history;
  }

  /** Places the first not yet placed checkpoint of {@code kind}, if there is one. */
  private static void placeFirst(CheckpointKind kind, List<Checkpoint> checkpoints,
      boolean[] placed, List<Happening> history) {
    for (int c = 0; c < checkpoints.size(); c++) {
      if (!placed[c] && checkpoints.get(c).kind() == kind) {
        placed[c] = true;
        history.add(checkpoint(checkpoints.get(c)));
        return;
      }
    }
  }

  private static Happening checkpoint(Checkpoint checkpoint) {
    return new Happening("checkpoint", data("iteration", checkpoint.iteration(),
        "kind", checkpoint.kind(), "sha", checkpoint.sha(), "created", checkpoint.created(),
        "filesChanged", checkpoint.filesChanged()));
  }

  private static Happening iterationFinished(IterationSummary summary) {
    return new Happening("iteration.finished", data("iteration", summary.iteration(),
        "outcome", summary.outcome(), "exitCode", summary.exitCode(),
        "promiseSeen", summary.promiseSeen(), "checksPassed", summary.checksPassed(),
        "costUsd", summary.costUsd(), "costSource", summary.costSource(),
        "checkpointSha", summary.checkpointSha()));
  }

  private static Map<String, Object> costData(LoopStatus status) {
    return data("costUsd", cost(status), "costCapUsd", status.costCapUsd(),
        "inputTokens", status.inputTokens(), "outputTokens", status.outputTokens());
  }

  private static BigDecimal cost(LoopStatus status) {
    return Objects.requireNonNullElse(status.costUsd(), BigDecimal.ZERO);
  }

  /** An ordered map from alternating keys and values; null values are kept (JSON null). */
  private static Map<String, Object> data(Object... keysAndValues) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object value = keysAndValues[i + 1];
      data.put((String) keysAndValues[i], value instanceof Enum<?> e ? e.name() : value);
    }
    return data;
  }
}
