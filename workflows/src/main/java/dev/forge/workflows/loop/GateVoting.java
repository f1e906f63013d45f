package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waiting at a gate (since {@code gate-votes}): the durable timers and wake-ups of a gate that
 * needs N approvals, sends reminders and may escalate, with an audit entry for each happening.
 * {@link GateKeeper} holds the gate's state and rules; this class only waits on it, in the
 * workflow's thread, so the two together replace the single wait of histories from before.
 */
final class GateVoting {

  /** Writes one audit entry (the workflow's own, keyed per run). */
  @FunctionalInterface
  interface Audit {
    void record(String action, String actor, String target, Map<String, String> detail);
  }

  private final GateKeeper gates;
  private final Audit audit;

  GateVoting(GateKeeper gates, Audit audit) {
    this.gates = gates;
    this.audit = audit;
  }

  /**
   * Waits until the pending gate is decided or times out: wakes for each approval (audited as
   * {@code gate.approval}), each reminder ({@code gate.reminder}) and the deadline, where an
   * {@code escalate} gate widens its approvers once ({@code gate.escalated}) and waits again.
   */
  void await(GateConfig gate) {
    long deadline = gates.pending().deadlineMillis();
    long reminderMillis = gate.reminderSeconds() * 1000;
    long nextReminder = reminderMillis > 0 ? gates.pending().requestedAtMillis() + reminderMillis
        : Long.MAX_VALUE;
    int audited = 0;
    while (true) {
      long now = Workflow.currentTimeMillis();
      if (!gates.hasDecision() && now >= deadline && gate.onTimeout() == GateConfig.OnTimeout.ESCALATE
          && !gates.pending().escalated()) {
        deadline = now + gate.escalationTimeoutSeconds() * 1000;
        gates.escalate(gate.escalateTo(), now, deadline);
        audit.record("gate.escalated", "forge", gate.name(), Map.of(
            "approvers", String.join(",", gates.pending().approvers()),
            "timeoutSeconds", Long.toString(gate.escalationTimeoutSeconds())));
        continue;
      }
      if (gates.hasDecision() || now >= deadline) {
        auditApprovals(gate, audited);
        return;
      }
      int seen = gates.approvalCount();
      Workflow.await(Duration.ofMillis(Math.max(1, Math.min(deadline, nextReminder) - now)),
          () -> gates.hasDecision() || gates.approvalCount() != seen);
      audited = auditApprovals(gate, audited);
      now = Workflow.currentTimeMillis();
      if (!gates.hasDecision() && now >= nextReminder && now < deadline) {
        gates.remind();
        GateView waiting = gates.pending();
        audit.record("gate.reminder", "forge", gate.name(), Map.of(
            "checkpoint", waiting.checkpointSha(),
            "approvers", String.join(",", waiting.approvers()),
            "approvalsMissing", Integer.toString(waiting.approvalsMissing()),
            "waitingSeconds", Long.toString((now - waiting.requestedAtMillis()) / 1000)));
        nextReminder += reminderMillis;
      }
    }
  }

  /** Writes a {@code gate.approval} entry for each approval not audited yet; returns the count. */
  private int auditApprovals(GateConfig gate, int audited) {
    List<GateApproval> approvals = gates.pending().approvals();
    for (int i = audited; i < approvals.size(); i++) {
      GateApproval approval = approvals.get(i);
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("checkpoint", gates.pending().checkpointSha());
      detail.put("approval", (i + 1) + " of " + gates.pending().requiredApprovals());
      detail.put("comment", approval.comment() == null ? "" : approval.comment());
      if (approval.backupRef() != null) {
        detail.put("backupRef", approval.backupRef());
      }
      if (approval.rollbackPlan() != null) {
        detail.put("rollbackPlan", approval.rollbackPlan());
      }
      audit.record("gate.approval", approval.by(), gate.name(), detail);
    }
    return approvals.size();
  }
}
