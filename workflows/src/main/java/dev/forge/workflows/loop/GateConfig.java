package dev.forge.workflows.loop;

import java.util.List;

/**
 * One human gate from forge.yml.
 *
 * @param name the gate's name, e.g. {@code production_deploy}
 * @param approvers user or group names allowed to decide; empty means any approver
 * @param timeoutSeconds how long the loop waits for a decision (a durable timer)
 * @param onTimeout what a timeout means; only {@code reject} exists today
 * @param run commands run in the sandbox after approval
 */
public record GateConfig(
    String name, List<String> approvers, long timeoutSeconds, OnTimeout onTimeout, List<List<String>> run) {

  public GateConfig {
    approvers = List.copyOf(approvers);
    run = run.stream().map(List::copyOf).toList();
  }

  /** What happens when nobody decides in time. */
  public enum OnTimeout {
    REJECT
  }
}
