package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.workflows.loop.GateApproval;
import dev.forge.workflows.loop.GateView;
import dev.forge.workflows.loop.IterationSummary;
import dev.forge.workflows.loop.LoopState;
import dev.forge.workflows.loop.LoopStatus;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopEventDiffTest {

  @Test
  void shouldKeepEventIdsWhenTheLoopContinuedAsNewAndListsOnlyItsLatestItems() {
    Snapshot loop = Snapshot.start();
    for (int i = 0; i < 3; i++) {
      loop.iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION)
          .iterationFinished(false, null, "0.01");
    }
    LoopStatus full = loop.status();
    LoopStatus trimmed = loop.continuedAsNew(2);

    List<LoopEvent> fresh = new LoopEventDiff().next(full, false);
    long lastId = fresh.get(fresh.size() - 1).id();
    List<LoopEvent> fromTrimmed = new LoopEventDiff().next(trimmed, false);

    assertThat(LoopEventDiff.happenings(trimmed, false))
        .isEqualTo(LoopEventDiff.happenings(full, false));
    assertThat(fromTrimmed).filteredOn(e -> e.name().equals("iteration.finished"))
        .singleElement().satisfies(e -> assertThat(e.data()).containsEntry("iteration", 3));
    assertThat(fromTrimmed.stream().filter(e -> !List.of("cost", "state").contains(e.name()))
        .map(LoopEvent::id).toList())
        .isSubsetOf(fresh.stream().map(LoopEvent::id).toList());
    assertThat(new LoopEventDiff(lastId).next(trimmed, false))
        .extracting(LoopEvent::name).containsOnly("cost", "state");
  }

  @Test
  void shouldTellApprovalsRemindersAndEscalationInTheOrderTheyHappened() {
    Snapshot loop = Snapshot.start().iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION)
        .iterationFinished(true, true, "0.01").checkpoint(CheckpointKind.FINAL);
    // requested at 1000, reminding every 60 s; an approval at 30 s, a reminder at 60 s, then at
    // 90 s the escalation and a second reminder at 120 s
    GateView waiting = new GateView("production_deploy", GateView.PENDING, List.of("team-lead"),
        "sha-2", 1000, 91_000, null, null, 2, List.of(), 0, false, false, false, 60, 0);
    LoopStatus requested = loop.withGate(waiting).status();
    LoopStatus approvedOnce = loop.withGate(new GateView(waiting.name(), GateView.PENDING,
        waiting.approvers(), "sha-2", 1000, 91_000, null, null, 2,
        List.of(new GateApproval("lead", 31_000, "ok", null, null)), 0, false, false, false, 60, 1))
        .status();
    LoopStatus escalated = loop.withGate(new GateView(waiting.name(), GateView.PENDING,
        List.of("team-lead", "cto"), "sha-2", 1000, 7_291_000, null, null, 2,
        List.of(new GateApproval("lead", 31_000, "ok", null, null)), 91_000, false, false, false,
        60, 2)).status();

    List<LoopEvent> first = LoopEventDiff.between(requested, approvedOnce, false);
    List<LoopEvent> second = LoopEventDiff.between(approvedOnce, escalated, false);

    assertThat(first).extracting(LoopEvent::name).containsExactly("gate.approval", "gate.reminder");
    assertThat(first.get(0).data()).containsEntry("approvedBy", "lead").containsEntry("approval", 1)
        .containsEntry("requiredApprovals", 2);
    assertThat(second).extracting(LoopEvent::name).containsExactly("gate.escalated", "gate.reminder");
    assertThat(second.get(1).data()).containsEntry("reminder", 2);
    assertThat(LoopEventDiff.happenings(escalated, false))
        .isEqualTo(LoopEventDiff.happenings(approvedOnce, false) + 2);
  }

  @Test
  void shouldSendNothingWhenNothingChanged() {
    LoopStatus running = Snapshot.start().iterationStarted().status();

    assertThat(LoopEventDiff.between(running, running, false)).isEmpty();
  }

  @Test
  void shouldTellIterationStartedWithItsCheckpointAndState() {
    Snapshot loop = Snapshot.start();
    LoopStatus before = loop.status();
    LoopStatus after = loop.iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION).status();

    List<LoopEvent> events = LoopEventDiff.between(before, after, false);

    assertThat(events).extracting(LoopEvent::name)
        .containsExactly("iteration.started", "checkpoint", "state");
    assertThat(events.get(0).data()).containsEntry("iteration", 1).containsEntry("maxIterations", 5);
    assertThat(events.get(1).data()).containsEntry("kind", "BEFORE_ITERATION")
        .containsEntry("sha", "sha-1").containsEntry("iteration", 1);
    assertThat(events.get(2).data()).containsEntry("state", "RUNNING")
        .containsEntry("reason", "iteration 1 of at most 5");
  }

  @Test
  void shouldTellFinishedIterationWithOutcomePromiseChecksAndCost() {
    Snapshot loop = Snapshot.start().iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION);
    LoopStatus before = loop.status();
    LoopStatus after = loop.iterationFinished(true, false, "0.25").status();

    List<LoopEvent> events = LoopEventDiff.between(before, after, false);

    assertThat(events).extracting(LoopEvent::name).containsExactly("iteration.finished", "cost");
    assertThat(events.get(0).data()).containsEntry("iteration", 1).containsEntry("outcome", "EXITED")
        .containsEntry("promiseSeen", true).containsEntry("checksPassed", false)
        .containsEntry("costUsd", new BigDecimal("0.25"));
    assertThat(events.get(1).data()).containsEntry("costUsd", new BigDecimal("0.25"))
        .containsEntry("costCapUsd", new BigDecimal("1.00"));
  }

  @Test
  void shouldTellEverythingInWorkflowOrderWhenManyStepsHappenBetweenTwoPolls() {
    Snapshot loop = Snapshot.start();
    LoopStatus before = loop.status();
    loop.iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION).iterationFinished(false, null, "0.10")
        .iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION).iterationFinished(true, true, "0.10")
        .checkpoint(CheckpointKind.FINAL).gateRequested().gateDecided(GateView.APPROVED, "lead")
        .end(LoopState.COMPLETED, "goal met");

    List<LoopEvent> events = LoopEventDiff.between(before, loop.status(), true);

    assertThat(events).extracting(LoopEvent::name).containsExactly(
        "iteration.started", "checkpoint", "iteration.finished",
        "iteration.started", "checkpoint", "iteration.finished",
        "checkpoint", "gate.requested", "gate.decided", "cost", "state", "terminal");
    assertThat(events.get(7).data()).containsEntry("gate", "production_deploy")
        .containsEntry("checkpointSha", "sha-3");
    assertThat(events.get(8).data()).containsEntry("decision", "APPROVED")
        .containsEntry("decidedBy", "lead");
    assertThat(events.get(11).data()).containsEntry("state", "COMPLETED")
        .containsEntry("reason", "goal met").containsEntry("iteration", 2);
  }

  @Test
  void shouldPlaceTheSquashAfterTheFinalCheckpointAndBeforeTheGateWhicheverWayItWasPolled() {
    Snapshot loop = Snapshot.start();
    LoopEventDiff often = new LoopEventDiff();
    List<LoopEvent> polledOften = new ArrayList<>(often.next(loop.iterationStarted()
        .checkpoint(CheckpointKind.BEFORE_ITERATION).iterationFinished(true, true, "0.5")
        .status(), false));
    polledOften.addAll(often.next(loop.checkpoint(CheckpointKind.FINAL).status(), false));
    polledOften.addAll(often.next(loop.checkpoint(CheckpointKind.SQUASHED).status(), false));
    polledOften.addAll(often.next(loop.gateRequested().gateDecided(GateView.APPROVED, "lead")
        .end(LoopState.COMPLETED, "done").status(), true));

    List<LoopEvent> polledOnce = new LoopEventDiff().next(loop.status(), true);

    List<LoopEvent> named = polledOnce.stream().filter(e -> e.id() % LoopEventDiff.STEP == 0)
        .toList();
    assertThat(named).extracting(LoopEvent::name).containsExactly(
        "iteration.started", "checkpoint", "iteration.finished", "checkpoint", "checkpoint",
        "gate.requested", "gate.decided", "terminal");
    assertThat(named.get(3).data()).containsEntry("kind", "FINAL");
    assertThat(named.get(4).data()).containsEntry("kind", "SQUASHED");
    assertThat(happenings(polledOften)).isEqualTo(happenings(polledOnce));
  }

  @Test
  void shouldGiveEachHappeningTheSameIdHoweverOftenTheLoopWasPolled() {
    Snapshot loop = Snapshot.start();
    LoopEventDiff often = new LoopEventDiff();
    List<LoopEvent> polledOften = new ArrayList<>(often.next(loop.status(), false));
    polledOften.addAll(often.next(loop.iterationStarted().status(), false));
    polledOften.addAll(often.next(loop.checkpoint(CheckpointKind.BEFORE_ITERATION).status(), false));
    polledOften.addAll(often.next(loop.iterationFinished(true, true, "0.5").status(), false));
    polledOften.addAll(often.next(loop.checkpoint(CheckpointKind.FINAL)
        .end(LoopState.COMPLETED, "done").status(), true));

    List<LoopEvent> polledOnce = new LoopEventDiff().next(loop.status(), true);

    assertThat(happenings(polledOften)).isEqualTo(happenings(polledOnce));
    assertThat(polledOften).extracting(LoopEvent::id).isSorted().doesNotHaveDuplicates();
    assertThat(polledOnce).extracting(LoopEvent::id).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void shouldSendTerminalOnlyOnceTheWorkflowHasClosed() {
    Snapshot loop = Snapshot.start().iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION);
    LoopEventDiff diff = new LoopEventDiff();
    diff.next(loop.status(), false);

    // cancelled: the state is set, but the final checkpoint is still being taken
    List<LoopEvent> cancelling = diff.next(loop.end(LoopState.CANCELLED, "cancelled").status(), false);
    List<LoopEvent> closed = diff.next(loop.checkpoint(CheckpointKind.FINAL).status(), true);

    assertThat(cancelling).extracting(LoopEvent::name).containsExactly("state");
    assertThat(diff.finished()).isTrue();
    assertThat(closed).extracting(LoopEvent::name).containsExactly("checkpoint", "terminal");
    assertThat(closed.get(1).data()).containsEntry("state", "CANCELLED");
  }

  @Test
  void shouldPlaceCheckpointOfCancellationDuringGateAfterTheGate() {
    Snapshot loop = Snapshot.start().iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION)
        .iterationFinished(true, true, "0").checkpoint(CheckpointKind.FINAL).gateRequested();
    LoopEventDiff diff = new LoopEventDiff();
    List<LoopEvent> first = diff.next(loop.status(), false);

    List<LoopEvent> then = diff.next(loop.checkpoint(CheckpointKind.FINAL)
        .end(LoopState.CANCELLED, "cancelled").status(), true);

    assertThat(first).extracting(LoopEvent::name).endsWith("gate.requested", "cost", "state");
    assertThat(then).extracting(LoopEvent::name).containsExactly("checkpoint", "state", "terminal");
    assertThat(new LoopEventDiff().next(loop.status(), true)).extracting(LoopEvent::name)
        .containsSubsequence("gate.requested", "checkpoint", "terminal");
  }

  @Test
  void shouldSkipHappeningsUpToLastEventIdAndResendCurrentValuesWhenResumed() {
    Snapshot loop = Snapshot.start().iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION)
        .iterationFinished(true, false, "0.2");
    List<LoopEvent> seen = new LoopEventDiff().next(loop.status(), false);
    long lastId = seen.get(1).id(); // the client saw iteration.started and checkpoint

    List<LoopEvent> resumed = new LoopEventDiff(lastId).next(loop.status(), false);

    assertThat(resumed).extracting(LoopEvent::name)
        .containsExactly("iteration.finished", "cost", "state");
    assertThat(resumed.get(0).id()).isEqualTo(seen.get(2).id());
    assertThat(resumed).allSatisfy(e -> assertThat(e.id()).isGreaterThan(lastId));
  }

  @Test
  void shouldKeepIdsIncreasingWhenResumedAfterAValueEvent() {
    Snapshot loop = Snapshot.start().iterationStarted();
    List<LoopEvent> seen = new LoopEventDiff().next(loop.status(), false);
    long lastId = seen.get(seen.size() - 1).id(); // the state event

    List<LoopEvent> resumed = new LoopEventDiff(lastId).next(loop.status(), false);

    assertThat(resumed).extracting(LoopEvent::name).containsExactly("cost", "state");
    assertThat(resumed).extracting(LoopEvent::id).allSatisfy(id -> assertThat(id).isGreaterThan(lastId));
  }

  @Test
  void shouldCountHappenings() {
    Snapshot loop = Snapshot.start().iterationStarted().checkpoint(CheckpointKind.BEFORE_ITERATION)
        .iterationFinished(true, true, "0").checkpoint(CheckpointKind.FINAL).end(LoopState.COMPLETED, "ok");

    assertThat(LoopEventDiff.happenings(loop.status(), false)).isEqualTo(4);
    assertThat(LoopEventDiff.happenings(loop.status(), true)).isEqualTo(5);
  }

  private static List<?> happenings(List<LoopEvent> events) {
    return events.stream().filter(e -> e.id() % LoopEventDiff.STEP == 0)
        .map(e -> tuple(e.id(), e.name(), e.data())).toList();
  }

  /** A loop's status as the workflow would build it up. */
  private static final class Snapshot {

    private LoopState state = LoopState.RUNNING;
    private String reason = "preparing the work tree";
    private int iteration;
    private BigDecimal cost = BigDecimal.ZERO;
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final List<IterationSummary> iterations = new ArrayList<>();
    private final List<GateView> gates = new ArrayList<>();

    static Snapshot start() {
      return new Snapshot();
    }

    Snapshot iterationStarted() {
      iteration++;
      reason = "iteration " + iteration + " of at most 5";
      return this;
    }

    Snapshot checkpoint(CheckpointKind kind) {
      checkpoints.add(new Checkpoint(iteration, kind, "sha-" + (checkpoints.size() + 1), true, 1));
      return this;
    }

    Snapshot iterationFinished(boolean promise, Boolean checks, String costUsd) {
      cost = cost.add(new BigDecimal(costUsd));
      iterations.add(new IterationSummary(iteration, "sha-" + checkpoints.size(),
          SandboxOutcome.EXITED, 0, promise, checks, new BigDecimal(costUsd), "reported"));
      return this;
    }

    Snapshot withGate(GateView gate) {
      gates.clear();
      gates.add(gate);
      state = LoopState.AWAITING_APPROVAL;
      reason = "waiting for a decision on gate '" + gate.name() + "'";
      return this;
    }

    Snapshot gateRequested() {
      gates.add(new GateView("production_deploy", GateView.PENDING, List.of("team-lead"),
          checkpoints.get(checkpoints.size() - 1).sha(), 1000, 2000, null, null));
      state = LoopState.AWAITING_APPROVAL;
      reason = "waiting for a decision on gate 'production_deploy'";
      return this;
    }

    Snapshot gateDecided(String decision, String by) {
      GateView open = gates.remove(gates.size() - 1);
      gates.add(new GateView(open.name(), decision, open.approvers(), open.checkpointSha(),
          open.requestedAtMillis(), open.deadlineMillis(), by, "ok"));
      state = LoopState.RUNNING_GATE;
      return this;
    }

    Snapshot end(LoopState end, String why) {
      state = end;
      reason = why;
      return this;
    }

    /** The status as a run that continued as new shows it: without the first {@code n} items. */
    LoopStatus continuedAsNew(int n) {
      LoopStatus full = status();
      return new LoopStatus(full.loopId(), full.state(), full.reason(), full.startedBy(),
          full.repository(), full.branch(), full.iteration(), full.maxIterations(), full.costUsd(),
          full.costCapUsd(), full.inputTokens(), full.outputTokens(), full.pendingGate(),
          full.gates(), full.checkpoints().subList(n, full.checkpoints().size()),
          full.iterations().subList(n, full.iterations().size()), n, n);
    }

    LoopStatus status() {
      GateView pending = gates.stream().filter(g -> GateView.PENDING.equals(g.state())).findFirst()
          .orElse(null);
      return new LoopStatus("loop-abcdefghij", state, reason, "dev", "/repo", "forge/loop-abcdefghij",
          iteration, 5, cost, new BigDecimal("1.00"), 0, 0, pending, List.copyOf(gates),
          List.copyOf(checkpoints), List.copyOf(iterations));
    }
  }
}
