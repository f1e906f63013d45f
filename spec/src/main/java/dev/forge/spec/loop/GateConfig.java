package dev.forge.spec.loop;

import java.util.List;

/**
 * One human gate from forge.yml. Components after {@code run} were added later: a history recorded
 * before them holds none, and their absent values (0, {@code false}, {@code null}) mean what the
 * gate did then (one approval, no reminders, no escalation, nothing required with an approval).
 *
 * @param name the gate's name, e.g. {@code production_deploy}
 * @param approvers user or group names allowed to decide; empty means any approver
 * @param timeoutSeconds how long the loop waits for a decision (a durable timer)
 * @param onTimeout what a timeout means: reject, or escalate to {@code escalateTo} first
 * @param run commands run in the sandbox after approval
 * @param requiredApprovals how many distinct approvers must approve; 0 means 1
 * @param escalateTo with {@link OnTimeout#ESCALATE}: the users or groups who may also decide once
 *     the first timeout has passed
 * @param escalationTimeoutSeconds with {@link OnTimeout#ESCALATE}: how long the escalated gate waits
 *     before it is rejected as timed out
 * @param reminderSeconds while the gate waits, a {@code gate.reminder} audit entry is written this
 *     often; 0: no reminders
 * @param requireBackup an approval must cite a backup reference
 * @param requireRollbackPlan an approval must carry a rollback plan
 * @param stepUp an approval must come with a TOTP code, verified by the API
 */
public record GateConfig(
    String name,
    List<String> approvers,
    long timeoutSeconds,
    OnTimeout onTimeout,
    List<List<String>> run,
    int requiredApprovals,
    List<String> escalateTo,
    long escalationTimeoutSeconds,
    long reminderSeconds,
    boolean requireBackup,
    boolean requireRollbackPlan,
    boolean stepUp) {

  public GateConfig {
    approvers = List.copyOf(approvers);
    run = run.stream().map(List::copyOf).toList();
    escalateTo = escalateTo == null ? List.of() : List.copyOf(escalateTo);
  }

  /** A gate as it was before N approvals, escalation, reminders and approval requirements. */
  public GateConfig(String name, List<String> approvers, long timeoutSeconds, OnTimeout onTimeout,
      List<List<String>> run) {
    this(name, approvers, timeoutSeconds, onTimeout, run, 1, List.of(), 0, 0, false, false, false);
  }

  /** How many distinct approvals the gate needs (at least one). */
  public int approvalsNeeded() {
    return Math.max(1, requiredApprovals);
  }

  /** What happens when nobody decides in time. */
  public enum OnTimeout {
    REJECT,
    /** Widen the approvers to {@code escalateTo} for {@code escalationTimeoutSeconds}, then reject. */
    ESCALATE
  }
}
