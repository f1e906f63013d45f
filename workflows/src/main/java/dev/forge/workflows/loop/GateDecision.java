package dev.forge.workflows.loop;

import java.util.List;

/**
 * An approver's decision on a pending gate, sent as a workflow update. The caller's identity (and,
 * for a step-up gate, a TOTP code) is verified by the API before it gets here. The components after
 * {@code comment} were added later; a history recorded before them holds {@code null} there.
 *
 * @param gate the gate's name
 * @param decidedBy the deciding user
 * @param decidedByGroups the deciding user's groups, matched against the gate's approver list
 * @param approve {@code true} to approve, {@code false} to reject
 * @param comment free text kept with the decision
 * @param checkpointSha the checkpoint the approver reviewed; an approval naming any other commit
 *     than the gate's is refused as stale
 * @param backupRef the backup an approval cites, for a gate with {@code require_backup}
 * @param rollbackPlan how to roll back, for a gate with {@code rollback_plan}
 */
public record GateDecision(
    String gate,
    String decidedBy,
    List<String> decidedByGroups,
    boolean approve,
    String comment,
    String checkpointSha,
    String backupRef,
    String rollbackPlan) {

  public GateDecision {
    decidedByGroups = decidedByGroups == null ? List.of() : List.copyOf(decidedByGroups);
  }

  /** A decision bound to a checkpoint, citing no backup or rollback plan. */
  public GateDecision(String gate, String decidedBy, List<String> decidedByGroups, boolean approve,
      String comment, String checkpointSha) {
    this(gate, decidedBy, decidedByGroups, approve, comment, checkpointSha, null, null);
  }
}
