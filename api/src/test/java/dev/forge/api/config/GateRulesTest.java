package dev.forge.api.config;

import static dev.forge.api.config.ConfigFixtures.errorFor;
import static dev.forge.api.config.ConfigFixtures.errors;
import static dev.forge.api.config.ConfigFixtures.list;
import static dev.forge.api.config.ConfigFixtures.map;
import static dev.forge.api.config.ConfigFixtures.minimalWith;
import static dev.forge.api.config.ConfigFixtures.onlyError;
import static dev.forge.api.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.api.problems.FieldError;
import dev.forge.workflows.loop.GateConfig;
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
        7200, GateConfig.OnTimeout.REJECT, List.of(List.of("./deploy.sh", "--prod"))));
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
    List<FieldError> errors = errors(minimalWith("gates", gates));

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).rule()).isEqualTo("format");
    assertThat(errors.get(0).message()).contains("lower-case letters");
  }

  @Test
  void shouldRefuseTooManyGates() {
    Map<String, Object> gates = new LinkedHashMap<>();
    for (int i = 0; i < 11; i++) {
      gates.put("gate_" + i, map());
    }
    assertThat(errorFor("gates", gates, "range").message()).contains("at most 10");
    errorFor("gates", list("production_deploy"), "type");
    errorFor(GATE, "manual", "type");
  }

  @Test
  void shouldCheckTheGateType() {
    assertThat(errorFor(GATE + ".type", "auto_approve", "format").message())
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
    assertThat(errorFor(GATE + ".timeout", "30s", "range").message())
        .isEqualTo("must be between 1m and 30d, got '30s'");
    errorFor(GATE + ".timeout", "31d", "range");
    errorFor(GATE + ".timeout", "a day", "format");
  }

  @Test
  void shouldCheckOnTimeout() {
    assertThat(errorFor(GATE + ".on_timeout", "escalate", "unsupported").message())
        .contains("use reject");
    errorFor(GATE + ".on_timeout", "approve", "format");
  }

  @Test
  void shouldCheckRunCommands() {
    onlyError(minimalWith(GATE + ".run", list(list("ok"), list("bash", ""))), GATE + ".run[1][1]",
        "range");
    errorFor(GATE + ".run", new ArrayList<>(Collections.nCopies(21, list("true"))), "range");
  }

  @Test
  void shouldSayPlannedGateKeysAreUnsupported() {
    assertThat(errors(minimalWith(GATE, map("require_backup", true, "rollback_plan", "docs/rb.md"))))
        .extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple(GATE + ".require_backup", "unsupported"),
            tuple(GATE + ".rollback_plan", "unsupported"));
  }
}
