package dev.forge.workflows.loop;

/**
 * One approval counted towards a gate's {@code required_approvals}.
 *
 * @param by the approver
 * @param atMillis workflow time of the approval
 * @param comment the approver's comment
 * @param backupRef the backup the approval cites, if the gate requires one
 * @param rollbackPlan the rollback plan given with the approval, if the gate requires one
 */
public record GateApproval(
    String by, long atMillis, String comment, String backupRef, String rollbackPlan) {}
