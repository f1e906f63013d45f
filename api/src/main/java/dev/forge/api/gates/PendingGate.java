package dev.forge.api.gates;

import dev.forge.workflows.loop.GateApproval;
import dev.forge.workflows.loop.IterationSummary;
import java.math.BigDecimal;
import java.util.List;

/**
 * What an approver needs to decide one pending gate, in one answer of {@code GET
 * /api/gates?state=pending}.
 *
 * @param loopId the loop
 * @param gate the gate's name
 * @param repository the loop's repository
 * @param branch the loop's branch
 * @param startedBy who started the loop (and so may not decide)
 * @param checkpointSha the commit an approval must name
 * @param baseSha the commit the loop started from
 * @param diffStat files changed, insertions and deletions from {@code baseSha} to {@code
 *     checkpointSha}; {@code null} when git could not tell (see {@code diffStatError})
 * @param diffStatError why there is no diff stat
 * @param lastIteration the last iteration: outcome, promise seen, checks passed, its cost
 * @param iterations how many iterations ran
 * @param costUsd spent so far
 * @param costCapUsd the loop's cost cap
 * @param requiredApprovals how many distinct approvals the gate needs
 * @param approvals the approvals so far
 * @param approvers the users and groups who may decide
 * @param mayStillApprove those of them who have not approved (users who approved are left out;
 *     groups stay: another member may approve)
 * @param youMayApprove whether the caller may approve this gate now
 * @param deadlineMillis when the gate times out (or escalates)
 * @param escalated whether it escalated already
 * @param requireBackup whether an approval must cite a backup reference
 * @param requireRollbackPlan whether an approval must carry a rollback plan
 * @param stepUp whether an approval needs a TOTP code
 */
public record PendingGate(
    String loopId,
    String gate,
    String repository,
    String branch,
    String startedBy,
    String checkpointSha,
    String baseSha,
    DiffStats.DiffStat diffStat,
    String diffStatError,
    IterationSummary lastIteration,
    int iterations,
    BigDecimal costUsd,
    BigDecimal costCapUsd,
    int requiredApprovals,
    List<GateApproval> approvals,
    List<String> approvers,
    List<String> mayStillApprove,
    boolean youMayApprove,
    long deadlineMillis,
    boolean escalated,
    boolean requireBackup,
    boolean requireRollbackPlan,
    boolean stepUp) {}
