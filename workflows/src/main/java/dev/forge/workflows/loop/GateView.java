package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;

import java.util.List;

/**
 * A gate as the API shows it. The components after {@code comment} were added later; a result
 * recorded before them holds 0, {@code false} or {@code null} there.
 *
 * @param name the gate's name
 * @param state PENDING, APPROVED, REJECTED or TIMED_OUT
 * @param approvers who may decide (users or groups; empty: any approver), including the escalation
 *     list once the gate has escalated
 * @param checkpointSha the commit being approved
 * @param requestedAtMillis workflow time the gate opened
 * @param deadlineMillis workflow time the gate times out (or escalates)
 * @param decidedBy who decided, if anyone (for an approved gate, whoever gave the last approval)
 * @param comment the decider's comment
 * @param requiredApprovals how many distinct approvals the gate needs
 * @param approvals the approvals given so far, oldest first
 * @param escalatedAtMillis workflow time the gate timed out once and escalated; 0: it did not
 * @param requireBackup whether an approval must cite a backup reference
 * @param requireRollbackPlan whether an approval must carry a rollback plan
 * @param stepUp whether an approval must come with a TOTP code
 * @param reminderSeconds the reminder interval; 0: no reminders
 * @param reminders how many reminders were sent, at {@code requestedAtMillis} plus each multiple of
 *     the interval
 */
public record GateView(
    String name,
    String state,
    List<String> approvers,
    String checkpointSha,
    long requestedAtMillis,
    long deadlineMillis,
    String decidedBy,
    String comment,
    int requiredApprovals,
    List<GateApproval> approvals,
    long escalatedAtMillis,
    boolean requireBackup,
    boolean requireRollbackPlan,
    boolean stepUp,
    long reminderSeconds,
    int reminders) {

  public static final String PENDING = "PENDING";
  public static final String APPROVED = "APPROVED";
  public static final String REJECTED = "REJECTED";
  public static final String TIMED_OUT = "TIMED_OUT";

  public GateView {
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    approvals = approvals == null ? List.of() : List.copyOf(approvals);
  }

  /** A one-approval gate without reminders, escalation or approval requirements. */
  public GateView(String name, String state, List<String> approvers, String checkpointSha,
      long requestedAtMillis, long deadlineMillis, String decidedBy, String comment) {
    this(name, state, approvers, checkpointSha, requestedAtMillis, deadlineMillis, decidedBy,
        comment, 1, List.of(), 0, false, false, false, 0, 0);
  }

  /** A gate opened from its config. */
  static GateView opened(GateConfig gate, String checkpointSha, long nowMillis) {
    return new GateView(gate.name(), PENDING, gate.approvers(), checkpointSha, nowMillis,
        nowMillis + gate.timeoutSeconds() * 1000, null, null, gate.approvalsNeeded(), List.of(),
        0, gate.requireBackup(), gate.requireRollbackPlan(), gate.stepUp(), gate.reminderSeconds(),
        0);
  }

  GateView decided(String newState, String by, String why) {
    return new GateView(name, newState, approvers, checkpointSha, requestedAtMillis,
        deadlineMillis, by, why, requiredApprovals, approvals, escalatedAtMillis, requireBackup,
        requireRollbackPlan, stepUp, reminderSeconds, reminders);
  }

  GateView approvedBy(List<GateApproval> all) {
    return new GateView(name, state, approvers, checkpointSha, requestedAtMillis, deadlineMillis,
        decidedBy, comment, requiredApprovals, all, escalatedAtMillis, requireBackup,
        requireRollbackPlan, stepUp, reminderSeconds, reminders);
  }

  GateView escalatedTo(List<String> wider, long atMillis, long newDeadlineMillis) {
    return new GateView(name, state, wider, checkpointSha, requestedAtMillis, newDeadlineMillis,
        decidedBy, comment, requiredApprovals, approvals, atMillis, requireBackup,
        requireRollbackPlan, stepUp, reminderSeconds, reminders);
  }

  GateView reminded() {
    return new GateView(name, state, approvers, checkpointSha, requestedAtMillis, deadlineMillis,
        decidedBy, comment, requiredApprovals, approvals, escalatedAtMillis, requireBackup,
        requireRollbackPlan, stepUp, reminderSeconds, reminders + 1);
  }

  /** Whether the gate timed out once and escalated. */
  public boolean escalated() {
    return escalatedAtMillis > 0;
  }

  /** Approvals still needed before the gate passes. */
  public int approvalsMissing() {
    return Math.max(0, requiredApprovals - approvals.size());
  }
}
