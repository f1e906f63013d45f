package dev.forge.api.gates;

import dev.forge.api.loops.Loops;
import dev.forge.api.problems.ApiException;
import dev.forge.api.identity.ApiUser;
import dev.forge.audit.LoopIndex;
import dev.forge.audit.LoopRecord;
import dev.forge.spec.loop.Approvers;
import dev.forge.workflows.loop.GateApproval;
import dev.forge.workflows.loop.GateView;
import dev.forge.workflows.loop.IterationSummary;
import dev.forge.workflows.loop.LoopState;
import dev.forge.workflows.loop.LoopStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending gates across loops: the loops not ended come from the audit log ({@link LoopIndex});
 * each is asked for its status, and those waiting at a gate become a {@link PendingGate} with a
 * diff stat computed from the repository.
 */
final class PendingGates {

  private static final Logger log = LoggerFactory.getLogger(PendingGates.class);
  static final int MAX_OPEN = 10_000;

  private final LoopIndex index;
  private final Loops loops;
  private final DiffStats diffStats;

  PendingGates(LoopIndex index, Loops loops, DiffStats diffStats) {
    this.index = index;
    this.loops = loops;
    this.diffStats = diffStats;
  }

  List<PendingGate> list(ApiUser caller) {
    List<LoopRecord> open = index.list(new LoopIndex.Filter(null, null, Set.of(), true), 0,
        MAX_OPEN).loops();
    List<PendingGate> pending = new ArrayList<>();
    for (LoopRecord record : open) {
      LoopStatus status;
      try {
        status = loops.peek(record.loopId());
      } catch (ApiException e) {
        if (e.status() == 404) {
          continue; // Temporal no longer knows the loop: it waits at no gate
        }
        throw e; // Temporal unreachable: a partial list would hide gates, so say so (503)
      }
      if (status != null && status.state() == LoopState.AWAITING_APPROVAL
          && status.pendingGate() != null) {
        pending.add(bundle(status, caller));
      }
    }
    return pending;
  }

  private PendingGate bundle(LoopStatus status, ApiUser caller) {
    GateView gate = status.pendingGate();
    DiffStats.DiffStat diff = null;
    String diffError = null;
    if (status.baseSha() == null) {
      diffError = "the loop's base commit is not known (a loop started before Forge recorded it)";
    } else {
      try {
        diff = diffStats.between(status.repository(), status.baseSha(), gate.checkpointSha());
      } catch (RuntimeException e) {
        log.warn("diff stat of loop {} failed: {}", status.loopId(), e.getMessage());
        diffError = "git could not compute the diff stat; see the server log";
      }
    }
    List<IterationSummary> iterations = status.iterations() == null ? List.of() : status.iterations();
    List<String> approved = gate.approvals().stream().map(GateApproval::by).toList();
    List<String> still = gate.approvers().stream()
        .filter(a -> approved.stream().noneMatch(by -> Approvers.mayBeUser(a, by))).toList();
    boolean eligible = Approvers.mayDecide(gate.approvers(), caller.name(), caller.groups());
    boolean youMay = eligible && !caller.name().equals(status.startedBy())
        && !approved.contains(caller.name());
    return new PendingGate(status.loopId(), gate.name(), status.repository(), status.branch(),
        status.startedBy(), gate.checkpointSha(), status.baseSha(), diff, diffError,
        iterations.isEmpty() ? null : iterations.get(iterations.size() - 1), status.iteration(),
        status.costUsd(), status.costCapUsd(), gate.requiredApprovals(), gate.approvals(),
        gate.approvers(), still, youMay, gate.deadlineMillis(), gate.escalated(),
        gate.requireBackup(), gate.requireRollbackPlan(), gate.stepUp());
  }
}
