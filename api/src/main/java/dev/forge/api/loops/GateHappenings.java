package dev.forge.api.loops;

import dev.forge.workflows.loop.GateApproval;
import dev.forge.workflows.loop.GateView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened at a gate between its request and its decision, in workflow-time order: each
 * approval, each reminder (sent at the request time plus each multiple of the interval) and the
 * escalation. The list only grows at its end while the gate waits, as the event stream needs.
 */
final class GateHappenings {

  /** One happening: its event name, data and workflow time. */
  record Happening(String name, Map<String, Object> data, long atMillis, int order) {}

  private GateHappenings() {}

  static List<Happening> whileWaiting(GateView gate) {
    List<Happening> all = new ArrayList<>();
    List<GateApproval> approvals = gate.approvals() == null ? List.of() : gate.approvals();
    for (int i = 0; i < approvals.size(); i++) {
      GateApproval approval = approvals.get(i);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("gate", gate.name());
      data.put("approvedBy", approval.by());
      data.put("approval", i + 1);
      data.put("requiredApprovals", gate.requiredApprovals());
      data.put("comment", approval.comment());
      all.add(new Happening("gate.approval", data, approval.atMillis(), 0));
    }
    for (int r = 1; r <= gate.reminders(); r++) {
      long at = gate.requestedAtMillis() + r * gate.reminderSeconds() * 1000;
      all.add(new Happening("gate.reminder", Map.of("gate", gate.name(), "reminder", r,
          "waitingSeconds", r * gate.reminderSeconds()), at, 1));
    }
    if (gate.escalated()) {
      all.add(new Happening("gate.escalated", Map.of("gate", gate.name(),
          "approvers", gate.approvers(), "deadlineMillis", gate.deadlineMillis()),
          gate.escalatedAtMillis(), 2));
    }
    all.sort(Comparator.comparingLong(Happening::atMillis).thenComparingInt(Happening::order));
    return all;
  }
}
