package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.loop.GateConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code gates:}. */
class GateRulesTest {

  private static final String GATE = "gates.production_deploy";

  @Test
  void shouldReadAFullGate() {
    GateConfig gate = parse(minimalWith(GATE, map("type", "manual_approval",
        "approvers", list("team-lead", "ops.oncall_2"), "timeout", "2h", "on_timeout", "reject",
        "run", list(list("./deploy.sh", "--prod")))))
        .config().gates().get(0);

    assertThat(gate).isEqualTo(new GateConfig("production_deploy", List.of("team-lead", "ops.oncall_2"),
        7200, GateConfig.OnTimeout.REJECT, List.of(List.of("./deploy.sh", "--prod")), 1, List.of(),
        0, 0, false, false, true));
  }

  @Test
  void shouldReadApprovalRulesEscalationAndReminders() {
    GateConfig gate = parse(minimalWith("gates.database_migration", map(
        "approvers", list("dba", "team-lead"), "required_approvals", 2, "timeout", "4h",
        "on_timeout", "escalate", "escalate_to", list("cto"), "escalation_timeout", "2h",
        "remind_every", "1h", "require_backup", true, "rollback_plan", "required",
        "step_up", true))).config().gates().get(0);

    assertThat(gate).isEqualTo(new GateConfig("database_migration", List.of("dba", "team-lead"),
        4 * 3600, GateConfig.OnTimeout.ESCALATE, List.of(), 2, List.of("cto"), 2 * 3600, 3600, true,
        true, true));
  }

  @Test
  void shouldDefaultToOneApprovalNoRemindersAndStepUpOnlyForProductionDeploy() {
    GateConfig custom = parse(minimalWith("gates.smoke_test", map())).config().gates().get(0);
    GateConfig escalating = parse(minimalWith("gates.smoke_test", map("timeout", "3h",
        "on_timeout", "escalate", "escalate_to", list("cto")))).config().gates().get(0);

    assertThat(custom.requiredApprovals()).isEqualTo(1);
    assertThat(custom.reminderSeconds()).isZero();
    assertThat(custom.stepUp()).isFalse();
    assertThat(custom.requireBackup()).isFalse();
    assertThat(custom.requireRollbackPlan()).isFalse();
    assertThat(parse(minimalWith("gates.production_deploy", map())).config().gates().get(0).stepUp())
        .as("production_deploy always steps up").isTrue();
    assertThat(escalating.escalationTimeoutSeconds()).as("defaults to the timeout").isEqualTo(3 * 3600);
  }

  @Test
  void shouldCheckRequiredApprovals() {
    assertThat(errorFor(GATE + ".required_approvals", 0, "range").detail())
        .isEqualTo("must be between 1 and 10, got 0");
    errorFor(GATE + ".required_approvals", 11, "range");
    errorFor(GATE + ".required_approvals", "2", "type");
    errorFor(GATE + ".required_approvals", 1.5, "format");
  }

  @Test
  void shouldCheckEscalation() {
    assertThat(onlyError(minimalWith(GATE + ".on_timeout", "escalate"), GATE + ".escalate_to",
        "required").detail()).contains("needs escalate_to");
    assertThat(onlyError(minimalWith(GATE + ".escalate_to", list("cto")), GATE + ".escalate_to",
        "conflict").detail()).contains("only used with on_timeout: escalate");
    onlyError(minimalWith(GATE + ".escalation_timeout", "1h"), GATE + ".escalation_timeout",
        "conflict");
    onlyError(minimalWith(GATE, map("on_timeout", "escalate", "escalate_to", list("not ok"))),
        GATE + ".escalate_to[0]", "format");
    onlyError(minimalWith(GATE, map("on_timeout", "escalate", "escalate_to", list("cto"),
        "escalation_timeout", "31d")), GATE + ".escalation_timeout", "range");
  }

  @Test
  void shouldCheckReminderInterval() {
    assertThat(onlyError(minimalWith(GATE, map("timeout", "2h", "remind_every", "2h")),
        GATE + ".remind_every", "range").detail()).contains("shorter than the time the gate waits (2h)");
    onlyError(minimalWith(GATE + ".remind_every", "10s"), GATE + ".remind_every", "range");
    onlyError(minimalWith(GATE + ".remind_every", "often"), GATE + ".remind_every", "format");
  }

  @Test
  void shouldCheckApprovalRequirementsAndStepUp() {
    errorFor(GATE + ".require_backup", "yes", "type");
    assertThat(errorFor(GATE + ".rollback_plan", "docs/rb.md", "format").detail())
        .contains("required or optional");
    errorFor(GATE + ".step_up", "true", "type");
    assertThat(errorFor(GATE + ".step_up", false, "forbidden").detail())
        .contains("always asks for a TOTP code");
  }

  @ParameterizedTest
  @ValueSource(strings = {"production_deploy", "database_migration", "secret_rotation",
      "infrastructure_change", "dependency_major_update", "smoke_test_2"})
  void shouldAcceptStandardAndCustomGateNames(String name) {
    assertThat(parse(minimalWith("gates", map(name, map()))).config().gates())
        .extracting(GateConfig::name).containsExactly(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Production", "2fa", "prod-deploy", "_x"})
  void shouldRefuseBadGateNames(String name) {
    Map<String, Object> gates = map(name, map());
    List<Refusal> errors = errors(minimalWith("gates", gates));

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).rule()).isEqualTo("format");
    assertThat(errors.get(0).detail()).contains("lower-case letters");
  }

  @Test
  void shouldRefuseTooManyGates() {
    Map<String, Object> gates = new LinkedHashMap<>();
    for (int i = 0; i < 11; i++) {
      gates.put("gate_" + i, map());
    }
    assertThat(errorFor("gates", gates, "range").detail()).contains("at most 10");
    errorFor("gates", list("production_deploy"), "type");
    errorFor(GATE, "manual", "type");
  }

  @Test
  void shouldCheckTheGateType() {
    assertThat(errorFor(GATE + ".type", "auto_approve", "format").detail())
        .isEqualTo("must be manual_approval, got 'auto_approve'");
  }

  @Test
  void shouldCheckApprovers() {
    errorFor(GATE + ".approvers", "team-lead", "type");
    onlyError(minimalWith(GATE + ".approvers", list("ok", "not ok")), GATE + ".approvers[1]", "format");
    onlyError(minimalWith(GATE + ".approvers", list("ok", 7)), GATE + ".approvers[1]", "type");
    onlyError(minimalWith(GATE + ".approvers", list("-lead")), GATE + ".approvers[0]", "format");
    List<Object> many = new ArrayList<>(Collections.nCopies(51, "lead"));
    errorFor(GATE + ".approvers", many, "range");
  }

  @Test
  void shouldCheckTheTimeout() {
    assertThat(parse(minimalWith(GATE + ".timeout", "30d")).config().gates().get(0).timeoutSeconds())
        .isEqualTo(30L * 86_400);
    assertThat(errorFor(GATE + ".timeout", "30s", "range").detail())
        .isEqualTo("must be between 1m and 30d, got '30s'");
    errorFor(GATE + ".timeout", "31d", "range");
    errorFor(GATE + ".timeout", "a day", "format");
  }

  @Test
  void shouldCheckOnTimeout() {
    assertThat(errorFor(GATE + ".on_timeout", "approve", "format").detail())
        .isEqualTo("must be reject or escalate, got 'approve'");
  }

  @Test
  void shouldCheckRunCommands() {
    onlyError(minimalWith(GATE + ".run", list(list("ok"), list("bash", ""))), GATE + ".run[1][1]",
        "range");
    errorFor(GATE + ".run", new ArrayList<>(Collections.nCopies(21, list("true"))), "range");
  }
}
