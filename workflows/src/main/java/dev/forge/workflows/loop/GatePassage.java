package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;

import static dev.forge.workflows.loop.LoopWorkflowImpl.GATE_VOTES_CHANGE;

import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.ResetRequest;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * Passing one gate after the loop met its goal: open it on the last checkpoint, wait for its
 * decision ({@link GateVoting}, or the single wait of histories from before {@code gate-votes}),
 * reset the work tree when it is not approved, run its commands when it is. {@link GateKeeper}
 * holds the gates' state and the rules a decision must pass.
 */
final class GatePassage {

  private final LoopContext loop;
  private final GateKeeper gates;

  GatePassage(LoopContext loop, GateKeeper gates) {
    this.loop = loop;
    this.gates = gates;
  }

  /** Returns how the loop ends when the gate stops it, or {@code null} when it passed. */
  Stop pass(GateConfig gate, Checkpoint last) {
    gates.open(gate, last.sha(), Workflow.currentTimeMillis());
    loop.enter(LoopState.AWAITING_APPROVAL, "waiting for a decision on gate '" + gate.name() + "'");
    loop.record("gate.requested", "forge", gate.name(), Map.of("checkpoint", last.sha(),
        "approvers", String.join(",", gate.approvers()),
        "timeoutSeconds", Long.toString(gate.timeoutSeconds())));
    // Histories recorded before the change waited in one step for one decision.
    if (Workflow.getVersion(GATE_VOTES_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      new GateVoting(gates, loop::record).await(gate);
    } else {
      Workflow.await(Duration.ofSeconds(gate.timeoutSeconds()), gates::hasDecision);
    }
    long waited = gate.timeoutSeconds() + (gates.pending().escalated()
        ? gate.escalationTimeoutSeconds() : 0);
    GateView closed = gates.close("no decision within " + waited + " s");
    String actor = closed.decidedBy() == null ? "forge" : closed.decidedBy();
    loop.record(GateView.TIMED_OUT.equals(closed.state()) ? "gate.timed_out" : "gate.decided",
        actor, gate.name(), Map.of("decision", closed.state(), "checkpoint", last.sha(),
            "comment", closed.comment() == null ? "" : closed.comment()));
    if (!GateView.APPROVED.equals(closed.state())) {
      String why = "gate '" + gate.name() + "' " + closed.state().toLowerCase().replace('_', ' ')
          + (closed.decidedBy() == null ? "" : " by " + closed.decidedBy());
      loop.workspaces().reset(new ResetRequest(loop.workspace(), last.sha(), why));
      return new Stop(LoopState.REJECTED, why + "; work tree reset to checkpoint " + last.sha());
    }
    return runCommands(gate);
  }

  /** The approved gate's commands, in order; the first that fails fails the loop. */
  private Stop runCommands(GateConfig gate) {
    loop.enter(LoopState.RUNNING_GATE, "running gate '" + gate.name() + "'");
    for (int i = 0; i < gate.run().size(); i++) {
      String name = "gate-" + gate.name() + "-" + (i + 1);
      SandboxResult result = loop.sandbox().run(loop.step(name, gate.run().get(i), null));
      if (!result.succeeded()) {
        return new Stop(LoopState.FAILED, "gate '" + gate.name() + "' command " + (i + 1)
            + " failed: " + result.outcome() + " exit " + result.exitCode());
      }
    }
    return null;
  }
}
