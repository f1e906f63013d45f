package dev.forge.spec.config;

import dev.forge.spec.Shown;

import dev.forge.spec.loop.GateConfig;
import java.util.List;

/**
 * A gate's approval rules beyond its approvers and timeout: how many approvals, escalation,
 * reminders, what an approval must carry, and step-up authentication.
 */
record GateOptions(int requiredApprovals, long escalationTimeoutSeconds, long reminderSeconds,
    boolean requireBackup, boolean requireRollbackPlan, boolean stepUp) {

  static final int MAX_REQUIRED_APPROVALS = 10;
  /** The gate kind that always asks for step-up authentication. */
  static final String STEP_UP_KIND = "production_deploy";
  static final List<String> ROLLBACK_PLANS = List.of("required", "optional");

  /** Reads the options of the gate {@code gate}; {@code null} when one of them is invalid. */
  static GateOptions read(Issues issues, Section gate, String name, GateConfig.OnTimeout onTimeout,
      Long timeoutSeconds) {
    int before = issues.count();
    Long required = gate.get("required_approvals") == null ? Long.valueOf(1)
        : Values.wholeNumber(issues, gate.path("required_approvals"), gate.get("required_approvals"),
            1, MAX_REQUIRED_APPROVALS);
    boolean escalates = onTimeout == GateConfig.OnTimeout.ESCALATE;
    if (escalates && gate.get("escalate_to") == null) {
      issues.add(gate.path("escalate_to"), "required", "on_timeout: escalate needs escalate_to, the"
          + " users or groups who may also decide once the timeout has passed, e.g. [cto]");
    } else if (!escalates && gate.get("escalate_to") != null) {
      issues.add(gate.path("escalate_to"), "conflict", "is only used with on_timeout: escalate;"
          + " set on_timeout: escalate or remove escalate_to");
    }
    Object escalationTimeout = gate.get("escalation_timeout");
    Long escalationSeconds = 0L;
    if (escalationTimeout != null && !escalates) {
      issues.add(gate.path("escalation_timeout"), "conflict", "is only used with on_timeout:"
          + " escalate; set on_timeout: escalate or remove escalation_timeout");
    } else if (escalates) {
      escalationSeconds = escalationTimeout == null ? timeoutSeconds
          : Quantities.duration(issues, gate.path("escalation_timeout"), escalationTimeout,
              Quantities.MIN_GATE_SECONDS, Quantities.MAX_WAIT_SECONDS);
    }
    Object remind = gate.get("remind_every");
    Long reminderSeconds = remind == null ? Long.valueOf(0)
        : Quantities.duration(issues, gate.path("remind_every"), remind,
            Quantities.MIN_GATE_SECONDS, Quantities.MAX_WAIT_SECONDS);
    if (remind != null && reminderSeconds != null && timeoutSeconds != null
        && escalationSeconds != null && reminderSeconds >= timeoutSeconds + escalationSeconds) {
      issues.add(gate.path("remind_every"), "range", "must be shorter than the time the gate waits ("
          + Quantities.formatDuration(timeoutSeconds + escalationSeconds) + "), got "
          + Shown.value(remind));
    }
    Boolean backup = flag(issues, gate.path("require_backup"), gate.get("require_backup"));
    Boolean rollbackPlan = rollbackPlan(issues, gate.path("rollback_plan"), gate.get("rollback_plan"));
    Boolean stepUp = flag(issues, gate.path("step_up"), gate.get("step_up"));
    if (STEP_UP_KIND.equals(name) && Boolean.FALSE.equals(gate.get("step_up"))) {
      issues.add(gate.path("step_up"), "forbidden", "a production_deploy gate always asks for a"
          + " TOTP code with each approval; remove step_up: false");
    }
    if (issues.count() > before || required == null || escalationSeconds == null
        || reminderSeconds == null || backup == null || rollbackPlan == null || stepUp == null) {
      return null;
    }
    return new GateOptions(required.intValue(), escalationSeconds, reminderSeconds, backup,
        rollbackPlan, stepUp || STEP_UP_KIND.equals(name));
  }

  private static Boolean flag(Issues issues, String path, Object value) {
    if (value == null) {
      return Boolean.FALSE;
    }
    if (!(value instanceof Boolean flag)) {
      issues.add(path, "type", "must be true or false, got " + Shown.kindAndValue(value));
      return null;
    }
    return flag;
  }

  /** {@code rollback_plan: required} (as the FORGE spec writes it) or {@code optional}. */
  private static Boolean rollbackPlan(Issues issues, String path, Object value) {
    if (value == null) {
      return Boolean.FALSE;
    }
    String text = Values.choice(issues, path, value, ROLLBACK_PLANS);
    return text == null ? null : text.equals("required");
  }
}
