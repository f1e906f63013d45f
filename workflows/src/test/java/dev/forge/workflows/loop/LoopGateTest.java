package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;

import static dev.forge.workflows.loop.LoopFixtures.APPROVER;
import static dev.forge.workflows.loop.LoopFixtures.DAY_SECONDS;
import static dev.forge.workflows.loop.LoopFixtures.LOOP_ID;
import static dev.forge.workflows.loop.LoopFixtures.STARTER;
import static dev.forge.workflows.loop.LoopFixtures.agent;
import static dev.forge.workflows.loop.LoopFixtures.command;
import static dev.forge.workflows.loop.LoopFixtures.config;
import static dev.forge.workflows.loop.LoopFixtures.decision;
import static dev.forge.workflows.loop.LoopFixtures.productionGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

import dev.forge.workflows.audit.AuditRecord;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.workspace.ResetRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The gates ({@link GatePassage}, {@link GateKeeper}, {@link GateVoting}): decisions and their
 * refusals, N approvals, timeouts, escalation and reminders.
 */
class LoopGateTest extends LoopWorkflowTestSupport {

  @Test
  void shouldRejectAndResetWorkTreeWhenApproverRejects() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00", List.of(productionGate())));

    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);
    loop.decideGate(decision(APPROVER, false));
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);

    assertThat(result.state()).isEqualTo(LoopState.REJECTED);
    assertThat(result.reason()).contains("rejected by lead");
    ArgumentCaptor<ResetRequest> reset = ArgumentCaptor.forClass(ResetRequest.class);
    verify(workspaces).reset(reset.capture());
    assertThat(reset.getValue().sha()).isEqualTo("sha-squash");
    assertThat(steps).extracting(SandboxStep::step).doesNotContain("gate-production_deploy-1");
  }

  @Test
  void shouldRejectWhenNobodyDecidesWithin24Hours() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    long before = env.currentTimeMillis();

    LoopResult result = run(config(5, "5.00", List.of(productionGate())));

    assertThat(result.state()).isEqualTo(LoopState.REJECTED);
    assertThat(result.reason()).contains("timed out");
    assertThat(env.currentTimeMillis() - before).isGreaterThanOrEqualTo(Duration.ofHours(24).toMillis());
    verify(workspaces).reset(any());
    assertThat(auditActions()).contains("gate.timed_out");
  }

  @Test
  void shouldRefuseSelfApprovalWithoutWritingHistory() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00", List.of(productionGate())));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);

    assertThatThrownBy(() -> loop.decideGate(decision(STARTER, true)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("started this loop")
        .satisfies(e -> assertThat(((ApplicationFailure) e).getType())
            .isEqualTo(UpdateRefused.Kind.FORBIDDEN.type()));

    assertThat(loop.status().state()).isEqualTo(LoopState.AWAITING_APPROVAL);
    assertThat(client.fetchHistory(LOOP_ID).getEvents())
        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  }

  @Test
  void shouldRefuseDecisionFromUserNotListedAsApprover() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00", List.of(productionGate())));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);

    assertThatThrownBy(() -> loop.decideGate(decision("mallory", true)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("not an approver");
    // a member of a listed group may decide
    GateView decided = loop.decideGate(new GateDecision("production_deploy", "erin",
        List.of("release-managers"), true, "group approval", "sha-squash"));
    assertThat(decided.state()).isEqualTo(GateView.APPROVED);
  }

  @Test
  void shouldRefuseDecisionWhenNoGateIsPending() {
    script(s -> agent(false, "0.01"));
    LoopWorkflow loop = start(config(1000, "5.00", List.of(productionGate())));
    awaitStatus(loop, s -> s.iteration() >= 1);

    assertThatThrownBy(() -> loop.decideGate(decision(APPROVER, true)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("no gate of this loop is waiting");
    WorkflowStub.fromTyped(loop).cancel();
  }

  @Test
  void shouldPassGateOnlyAfterTwoDistinctApprovals() {
    // given a gate that needs two approvals
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00",
        List.of(gate(2, GateConfig.OnTimeout.REJECT, List.of(), DAY_SECONDS, 0, false))));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);

    // when the first approver approves
    GateView afterFirst = loop.decideGate(decision(APPROVER, true));

    // then the gate still waits, holding one of two approvals, and nothing ran yet
    assertThat(afterFirst.state()).isEqualTo(GateView.PENDING);
    assertThat(afterFirst.approvals()).extracting(GateApproval::by).containsExactly(APPROVER);
    assertThat(afterFirst.approvalsMissing()).isEqualTo(1);
    assertThat(loop.status().state()).isEqualTo(LoopState.AWAITING_APPROVAL);
    assertThat(steps).extracting(SandboxStep::step).doesNotContain("gate-production_deploy-1");

    // when a second, distinct approver approves, the gate passes and its command runs
    GateView afterSecond = loop.decideGate(approval("erin", List.of("release-managers"), "sha-squash"));
    LoopResult result = WorkflowStub.fromTyped(loop).getResult(LoopResult.class);
    assertThat(afterSecond.state()).isEqualTo(GateView.APPROVED);
    assertThat(result.state()).isEqualTo(LoopState.COMPLETED);
    assertThat(loop.status().gates()).singleElement()
        .satisfies(g -> assertThat(g.approvals()).extracting(GateApproval::by)
            .containsExactly(APPROVER, "erin"));
    assertThat(auditActions()).filteredOn("gate.approval"::equals).hasSize(2);
    assertThat(steps).extracting(SandboxStep::step).contains("gate-production_deploy-1");
  }

  @Test
  void shouldRefuseDoubleVoteAndStaleCheckpointWithoutWritingHistory() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00",
        List.of(gate(2, GateConfig.OnTimeout.REJECT, List.of(), DAY_SECONDS, 0, false))));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);
    loop.decideGate(decision(APPROVER, true));

    // when the same approver votes again, to approve or to reject
    assertThatThrownBy(() -> loop.decideGate(decision(APPROVER, true)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("has already approved")
        .satisfies(e -> assertThat(((ApplicationFailure) e).getType())
            .isEqualTo(UpdateRefused.Kind.CONFLICT.type()));
    assertThatThrownBy(() -> loop.decideGate(decision(APPROVER, false)))
        .rootCause().hasMessageContaining("has already approved");
    // when another approver approves a checkpoint the gate does not wait on, or names none
    assertThatThrownBy(() -> loop.decideGate(
        approval("erin", List.of("release-managers"), "sha-before-iteration-1")))
        .rootCause().hasMessageContaining("is stale")
        .hasMessageContaining("waits on checkpoint sha-squash");
    assertThatThrownBy(() -> loop.decideGate(approval("erin", List.of("release-managers"), null)))
        .rootCause().hasMessageContaining("an approval must name the checkpoint")
        .satisfies(e -> assertThat(UpdateRefused.from((ApplicationFailure) e)).hasValue(
            new UpdateRefused(UpdateRefused.Kind.INVALID, "checkpointSha", "required",
                ((ApplicationFailure) e).getOriginalMessage())));

    // then only the first approval is in the history, and the gate still waits for one more
    assertThat(updatesAccepted()).isEqualTo(1);
    assertThat(loop.status().pendingGate().approvals()).hasSize(1);
    WorkflowStub.fromTyped(loop).cancel();
  }

  @Test
  void shouldRejectGateOnOneRejectionEvenAfterAnApproval() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00",
        List.of(gate(2, GateConfig.OnTimeout.REJECT, List.of(), DAY_SECONDS, 0, false))));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);

    loop.decideGate(decision(APPROVER, true));
    GateView rejected = loop.decideGate(new GateDecision("production_deploy", "erin",
        List.of("release-managers"), false, "no", null));

    assertThat(rejected.state()).isEqualTo(GateView.REJECTED);
    assertThat(WorkflowStub.fromTyped(loop).getResult(LoopResult.class).state())
        .isEqualTo(LoopState.REJECTED);
  }

  @Test
  void shouldRequireBackupReferenceWhenGateRequiresBackup() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00",
        List.of(gate(1, GateConfig.OnTimeout.REJECT, List.of(), DAY_SECONDS, 0, true))));
    awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);

    assertThatThrownBy(() -> loop.decideGate(decision(APPROVER, true)))
        .rootCause().hasMessageContaining("has require_backup")
        .satisfies(e -> assertThat(UpdateRefused.from((ApplicationFailure) e))
            .hasValueSatisfying(r -> assertThat(List.of(r.field(), r.rule()))
                .containsExactly("backupRef", "required")));
    GateView approved = loop.decideGate(new GateDecision("production_deploy", APPROVER, List.of(),
        true, "ok", "sha-squash", "snap-2026-11-21", null));

    assertThat(approved.state()).isEqualTo(GateView.APPROVED);
    assertThat(approved.approvals()).singleElement()
        .satisfies(a -> assertThat(a.backupRef()).isEqualTo("snap-2026-11-21"));
    assertThat(WorkflowStub.fromTyped(loop).getResult(LoopResult.class).state())
        .isEqualTo(LoopState.COMPLETED);
  }

  @Test
  void shouldEscalateOnTimeoutAndLetTheEscalationListApprove() {
    // given a gate that escalates to ops-oncall after an hour, for two more hours
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    LoopWorkflow loop = start(config(5, "5.00",
        List.of(gate(1, GateConfig.OnTimeout.ESCALATE, List.of("ops-oncall"), 3600, 0, false))));
    LoopStatus waiting = awaitStatus(loop, s -> s.state() == LoopState.AWAITING_APPROVAL);
    assertThatThrownBy(() -> loop.decideGate(approval("olga", List.of("ops-oncall"), "sha-squash")))
        .rootCause().hasMessageContaining("not an approver");

    // when nobody decides within the hour
    env.sleep(Duration.ofMinutes(61));

    // then the gate escalated: ops-oncall may now approve, until the new deadline
    GateView escalated = loop.status().pendingGate();
    assertThat(escalated.escalated()).isTrue();
    assertThat(escalated.approvers()).contains(APPROVER, "ops-oncall");
    assertThat(escalated.deadlineMillis() - waiting.pendingGate().requestedAtMillis())
        .isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis());
    assertThat(loop.decideGate(approval("olga", List.of("ops-oncall"), "sha-squash")).state())
        .isEqualTo(GateView.APPROVED);
    assertThat(WorkflowStub.fromTyped(loop).getResult(LoopResult.class).state())
        .isEqualTo(LoopState.COMPLETED);
    assertThat(auditActions()).containsSubsequence("gate.requested", "gate.escalated", "gate.approval",
        "gate.decided");
  }

  @Test
  void shouldRejectEscalatedGateWhenEscalationTimesOutToo() {
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));
    long before = env.currentTimeMillis();

    LoopResult result = run(config(5, "5.00",
        List.of(gate(1, GateConfig.OnTimeout.ESCALATE, List.of("ops-oncall"), 3600, 0, false))));

    assertThat(result.state()).isEqualTo(LoopState.REJECTED);
    assertThat(result.reason()).contains("timed out");
    assertThat(env.currentTimeMillis() - before).isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis());
    assertThat(auditActions()).containsSubsequence("gate.escalated", "gate.timed_out");
  }

  @Test
  void shouldRemindEveryIntervalWhileTheGateWaits() {
    // given a gate that waits 4 h and reminds every hour
    script(s -> s.step().equals("agent") ? agent(true, "0.01") : command(s.step(), 0, ""));

    LoopResult result = run(config(5, "5.00",
        List.of(gate(1, GateConfig.OnTimeout.REJECT, List.of(), 4 * 3600, 3600, false))));

    // then reminders were written at 1 h, 2 h and 3 h, none at the deadline, and the gate timed out
    assertThat(result.state()).isEqualTo(LoopState.REJECTED);
    ArgumentCaptor<AuditRecord> captor = ArgumentCaptor.forClass(AuditRecord.class);
    verify(audit, atLeastOnce()).record(captor.capture());
    List<AuditRecord> reminders = captor.getAllValues().stream()
        .filter(r -> r.action().equals("gate.reminder")).toList();
    assertThat(reminders).extracting(r -> r.detail().get("waitingSeconds"))
        .containsExactly("3600", "7200", "10800");
    assertThat(reminders).allSatisfy(r -> assertThat(r.detail()).containsEntry("approvalsMissing", "1"));
    assertThat(loop(LOOP_ID).status().gates()).singleElement()
        .satisfies(g -> assertThat(g.reminders()).isEqualTo(3));
  }

  private static GateConfig gate(int required, GateConfig.OnTimeout onTimeout, List<String> escalateTo,
      long timeoutSeconds, long reminderSeconds, boolean requireBackup) {
    return new GateConfig("production_deploy", List.of(APPROVER, "release-managers"),
        timeoutSeconds, onTimeout, List.of(List.of("bash", "deploy.sh")), required, escalateTo,
        escalateTo.isEmpty() ? 0 : 2 * 3600, reminderSeconds, requireBackup, false, false);
  }

  private static GateDecision approval(String by, List<String> groups, String sha) {
    return new GateDecision("production_deploy", by, groups, true, "reviewed", sha);
  }

  private long updatesAccepted() {
    return client.fetchHistory(LOOP_ID).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
        .count();
  }
}
