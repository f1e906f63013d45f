package dev.forge.workflows.loop;

import dev.forge.spec.loop.Approvers;
import dev.forge.spec.loop.GateConfig;

import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's gates: the one waiting for a decision, the decided ones, and the rules a decision must
 * pass. Pure state; the workflow does the waiting. A gate passes when {@code required_approvals}
 * distinct eligible approvers have approved its checkpoint; one eligible rejection rejects it.
 */
final class GateKeeper {

  private final List<GateView> decided = new ArrayList<>();
  private GateView pending;
  private GateDecision decision;

  void open(GateConfig gate, String checkpointSha, long nowMillis) {
    pending = GateView.opened(gate, checkpointSha, nowMillis);
    decision = null;
  }

  /** Whether the pending gate is decided: rejected once, or approved by enough approvers. */
  boolean hasDecision() {
    return decision != null;
  }

  /** How many approvals the pending gate holds. */
  int approvalCount() {
    return pending == null ? 0 : pending.approvals().size();
  }

  /** Lets the escalation list decide too, until the new deadline. */
  void escalate(List<String> escalateTo, long nowMillis, long deadlineMillis) {
    pending = pending.escalatedTo(Approvers.widened(pending.approvers(), escalateTo), nowMillis,
        deadlineMillis);
  }

  /** Counts a reminder sent for the pending gate. */
  void remind() {
    pending = pending.reminded();
  }

  /** Throws the {@link UpdateRefused} failure naming the rule the decision breaks. */
  void validate(GateDecision d, String startedBy) {
    if (pending == null || decision != null) {
      throw UpdateRefused.conflict("no gate of this loop is waiting for a decision");
    }
    if (!pending.name().equals(d.gate())) {
      throw UpdateRefused.conflict(
          "gate '" + d.gate() + "' is not waiting for a decision; the pending gate is '"
              + pending.name() + "'");
    }
    if (d.decidedBy() == null || d.decidedBy().equals(startedBy)) {
      throw UpdateRefused.forbidden(
          "'" + d.decidedBy() + "' started this loop and so may not decide its gates;"
              + " another approver must");
    }
    List<String> approvers = pending.approvers();
    if (!Approvers.mayDecide(approvers, d.decidedBy(), d.decidedByGroups())) {
      throw UpdateRefused.forbidden(
          "'" + d.decidedBy() + "' is not an approver of gate '" + pending.name()
              + "'; its approvers are " + approvers);
    }
    if (pending.approvals().stream().anyMatch(a -> a.by().equals(d.decidedBy()))) {
      throw UpdateRefused.conflict("'" + d.decidedBy() + "' has already approved gate '"
          + pending.name() + "'; it needs " + pending.approvalsMissing()
          + " more approval(s) from other approvers");
    }
    if (d.approve()) {
      validateApproval(d);
    } else if (d.checkpointSha() != null && !d.checkpointSha().equals(pending.checkpointSha())) {
      throw stale(d);
    }
  }

  private void validateApproval(GateDecision d) {
    if (d.checkpointSha() == null || d.checkpointSha().isBlank()) {
      throw UpdateRefused.invalid("checkpointSha", "required", "an approval must name the"
          + " checkpoint it approves; the gate waits on " + pending.checkpointSha());
    }
    if (!d.checkpointSha().equals(pending.checkpointSha())) {
      throw stale(d);
    }
    if (pending.requireBackup() && blank(d.backupRef())) {
      throw UpdateRefused.invalid("backupRef", "required", "gate '" + pending.name()
          + "' has require_backup: an approval must cite the backup taken (e.g. a snapshot id)");
    }
    if (pending.requireRollbackPlan() && blank(d.rollbackPlan())) {
      throw UpdateRefused.invalid("rollbackPlan", "required", "gate '" + pending.name()
          + "' has rollback_plan: an approval must say how to roll the change back");
    }
  }

  private ApplicationFailure stale(GateDecision d) {
    return UpdateRefused.conflict("checkpoint " + d.checkpointSha() + " is stale: gate '"
        + pending.name() + "' waits on checkpoint " + pending.checkpointSha()
        + "; review that commit and decide again");
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  /** Counts an approval, or rejects; returns the gate as it stands after the decision. */
  GateView accept(GateDecision d, long nowMillis) {
    if (!d.approve()) {
      decision = d;
      return pending.decided(GateView.REJECTED, d.decidedBy(), d.comment());
    }
    List<GateApproval> approvals = new ArrayList<>(pending.approvals());
    approvals.add(new GateApproval(d.decidedBy(), nowMillis, d.comment(), d.backupRef(),
        d.rollbackPlan()));
    pending = pending.approvedBy(approvals);
    if (approvals.size() >= pending.requiredApprovals()) {
      decision = d;
      return pending.decided(GateView.APPROVED, d.decidedBy(), d.comment());
    }
    return pending;
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
