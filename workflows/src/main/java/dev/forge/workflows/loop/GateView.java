package dev.forge.workflows.loop;

import java.util.List;

/**
 * A gate as the API shows it.
 *
 * @param name the gate's name
 * @param state PENDING, APPROVED, REJECTED or TIMED_OUT
 * @param approvers who may decide (users or groups; empty: any approver)
 * @param checkpointSha the commit being approved
 * @param requestedAtMillis workflow time the gate opened
 * @param deadlineMillis workflow time the gate times out
 * @param decidedBy who decided, if anyone
 * @param comment the decider's comment
 */
public record GateView(
    String name,
    String state,
    List<String> approvers,
    String checkpointSha,
    long requestedAtMillis,
    long deadlineMillis,
    String decidedBy,
    String comment) {

  public static final String PENDING = "PENDING";
  public static final String APPROVED = "APPROVED";
  public static final String REJECTED = "REJECTED";
  public static final String TIMED_OUT = "TIMED_OUT";

  GateView decided(String newState, String by, String why) {
    return new GateView(
        name, newState, approvers, checkpointSha, requestedAtMillis, deadlineMillis, by, why);
  }
}
