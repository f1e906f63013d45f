package dev.forge.workflows.loop;

import java.util.List;

/**
 * An approver's decision on a pending gate, sent as a workflow update. The caller's identity is
 * authenticated by the API before it gets here.
 *
 * @param gate the gate's name
 * @param decidedBy the deciding user
 * @param decidedByGroups the deciding user's groups, matched against the gate's approver list
 * @param approve {@code true} to approve, {@code false} to reject
 * @param comment free text kept with the decision
 */
public record GateDecision(
    String gate, String decidedBy, List<String> decidedByGroups, boolean approve, String comment) {

  public GateDecision {
    decidedByGroups = decidedByGroups == null ? List.of() : List.copyOf(decidedByGroups);
  }
}
