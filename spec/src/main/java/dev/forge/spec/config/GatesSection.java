package dev.forge.spec.config;

import dev.forge.spec.Shown;

import dev.forge.spec.loop.Approvers;
import dev.forge.spec.loop.GateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code gates:}, in the order written: each a human decision the loop waits for. The gate's
 * name is its kind: {@link #KINDS} are the standard ones (a {@code production_deploy} gate always
 * asks for step-up authentication); any other name is a custom gate.
 */
final class GatesSection {

  static final int MAX_GATES = 10;
  static final List<String> GATE_TYPES = List.of("manual_approval");
  static final List<String> ON_TIMEOUT = List.of("reject", "escalate");
  static final int MAX_APPROVERS = 50;
  static final int MAX_RUN_COMMANDS = 20;
  static final long DEFAULT_TIMEOUT_SECONDS = 24 * 3_600;
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  /** The standard gate kinds; any other valid name is a custom gate. */
  static final List<String> KINDS = List.of("production_deploy", "database_migration",
      "secret_rotation", "infrastructure_change", "dependency_major_update", "cost_cap_raise",
      "skill_approval");
  static final List<String> KEYS = List.of("type", "approvers", "required_approvals",
      "timeout", "on_timeout", "escalate_to", "escalation_timeout", "remind_every",
      "require_backup", "rollback_plan", "step_up", "run");

  private GatesSection() {}

  static List<GateConfig> read(Issues issues, Section root) {
    String path = root.path("gates");
    Object value = root.get("gates");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof Map<?, ?> gates)) {
      issues.add(path, "type", "must be a mapping of gate name to gate, e.g. {production_deploy:"
          + " {approvers: [group:team-lead]}}, got " + Shown.kind(value));
      return null;
    }
    if (gates.size() > MAX_GATES) {
      issues.add(path, "range", "must have at most " + MAX_GATES + " gates, got " + gates.size());
      return null;
    }
    List<GateConfig> result = new ArrayList<>();
    boolean valid = true;
    for (Map.Entry<?, ?> entry : gates.entrySet()) {
      GateConfig gate = gate(issues, Paths.key(path, entry.getKey()), entry.getKey(), entry.getValue());
      valid &= gate != null;
      result.add(gate);
    }
    return valid ? List.copyOf(result) : null;
  }

  private static GateConfig gate(Issues issues, String path, Object key, Object value) {
    String name = null;
    if (!(key instanceof String text)) {
      issues.add(path, "type", "gate names must be strings, got " + Shown.kindAndValue(key));
    } else if (!NAME.matcher(text).matches()) {
      issues.add(path, "format", "gate names must be lower-case letters, digits and '_', starting"
          + " with a letter, at most 63 characters (e.g. production_deploy), got " + Shown.value(text));
    } else {
      name = text;
    }
    Section gate = Section.read(issues, path, value, KEYS, Map.of());
    Object type = gate.get("type");
    boolean typeValid = type == null
        || Values.choice(issues, gate.path("type"), type, GATE_TYPES) != null;
    List<String> approvers = approvers(issues, gate.path("approvers"), gate.get("approvers"));
    Object timeout = gate.get("timeout");
    Long timeoutSeconds = timeout == null ? Long.valueOf(DEFAULT_TIMEOUT_SECONDS)
        : Quantities.duration(issues, gate.path("timeout"), timeout, Quantities.MIN_GATE_SECONDS,
            Quantities.MAX_WAIT_SECONDS);
    GateConfig.OnTimeout onTimeout = onTimeout(issues, gate.path("on_timeout"), gate.get("on_timeout"));
    Object run = gate.get("run");
    List<List<String>> commands = run == null ? List.of()
        : Commands.commands(issues, gate.path("run"), run, MAX_RUN_COMMANDS);
    GateOptions options = GateOptions.read(issues, gate, name, onTimeout, timeoutSeconds);
    List<String> escalateTo = gate.get("escalate_to") == null ? List.of()
        : approvers(issues, gate.path("escalate_to"), gate.get("escalate_to"));
    if (name == null || !typeValid || approvers == null || timeoutSeconds == null || onTimeout == null
        || commands == null || options == null || escalateTo == null) {
      return null;
    }
    return new GateConfig(name, approvers, timeoutSeconds, onTimeout, commands,
        options.requiredApprovals(), escalateTo, options.escalationTimeoutSeconds(),
        options.reminderSeconds(), options.requireBackup(), options.requireRollbackPlan(),
        options.stepUp());
  }

  static List<String> approvers(Issues issues, String path, Object value) {
    if (value == null) {
      return List.of();
    }
    List<?> items = Values.list(issues, path, value, MAX_APPROVERS, "[group:team-lead, user:alice]");
    if (items == null) {
      return null;
    }
    List<String> approvers = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < items.size(); i++) {
      String approver = approver(issues, Paths.index(path, i), items.get(i));
      valid &= approver != null;
      approvers.add(approver);
    }
    return valid ? List.copyOf(approvers) : null;
  }

  private static String approver(Issues issues, String path, Object value) {
    if (value == null) {
      issues.add(path, "type", "must be user:NAME, group:NAME or a bare NAME, got nothing (null)");
      return null;
    }
    String approver = Values.string(issues, path, value);
    if (approver != null && !Approvers.ENTRY.matcher(approver).matches()) {
      issues.add(path, "format", "must be user:NAME, group:NAME or a bare NAME (a user or group;"
          + " letters, digits, '.', '_' and '-', at most 64 characters), got "
          + Shown.value(approver));
      return null;
    }
    return approver;
  }

  private static GateConfig.OnTimeout onTimeout(Issues issues, String path, Object value) {
    if (value == null) {
      return GateConfig.OnTimeout.REJECT;
    }
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    if (text.equals("escalate")) {
      return GateConfig.OnTimeout.ESCALATE;
    }
    if (!text.equals("reject")) {
      issues.add(path, "format", "must be reject or escalate, got " + Shown.value(text));
      return null;
    }
    return GateConfig.OnTimeout.REJECT;
  }
}
