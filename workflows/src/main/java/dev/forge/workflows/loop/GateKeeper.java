package dev.forge.workflows.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop's gates: the one waiting for a decision, the decided ones, and the rules a decision must
 * pass. Pure state; the workflow does the waiting.
 */
final class GateKeeper {

  private final List<GateView> decided = new ArrayList<>();
  private GateView pending;
  private GateDecision decision;

  void open(GateConfig gate, String checkpointSha, long nowMillis) {
    pending =
        new GateView(
            gate.name(),
            GateView.PENDING,
            gate.approvers(),
            checkpointSha,
            nowMillis,
            nowMillis + gate.timeoutSeconds() * 1000,
            null,
            null);
    decision = null;
  }

  boolean hasDecision() {
    return decision != null;
  }

  /** Throws a {@link GateDecisionRefused} naming the rule the decision breaks. */
  void validate(GateDecision d, String startedBy) {
    if (pending == null || decision != null) {
      throw new GateDecisionRefused.NotPending("no gate of this loop is waiting for a decision");
    }
    if (!pending.name().equals(d.gate())) {
      throw new GateDecisionRefused.NotPending(
          "gate '" + d.gate() + "' is not waiting for a decision; the pending gate is '"
              + pending.name() + "'");
    }
    if (d.decidedBy().equals(startedBy)) {
      throw new GateDecisionRefused.Forbidden(
          "'" + d.decidedBy() + "' started this loop and so may not decide its gates;"
              + " another approver must");
    }
    List<String> approvers = pending.approvers();
    boolean eligible =
        approvers.isEmpty()
            || approvers.contains(d.decidedBy())
            || d.decidedByGroups().stream().anyMatch(approvers::contains);
    if (!eligible) {
      throw new GateDecisionRefused.Forbidden(
          "'" + d.decidedBy() + "' is not an approver of gate '" + pending.name()
              + "'; its approvers are " + approvers);
    }
  }

  GateView accept(GateDecision d) {
    decision = d;
    return pending.decided(
        d.approve() ? GateView.APPROVED : GateView.REJECTED, d.decidedBy(), d.comment());
  }

  /** Closes the pending gate with its decision, or as timed out when there is none. */
  GateView close(String timeoutNote) {
    GateView closed =
        decision == null
            ? pending.decided(GateView.TIMED_OUT, null, timeoutNote)
            : pending.decided(
                decision.approve() ? GateView.APPROVED : GateView.REJECTED,
                decision.decidedBy(),
                decision.comment());
    decided.add(closed);
    pending = null;
    decision = null;
    return closed;
  }

  GateView pending() {
    return pending;
  }

  List<GateView> all() {
    List<GateView> all = new ArrayList<>(decided);
    if (pending != null) {
      all.add(pending);
    }
    return all;
  }
}
