package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;

import dev.forge.workflows.workspace.SquashRequest;
import dev.forge.workflows.workspace.Workspace;
import java.math.BigDecimal;
import java.util.List;

/** The message of the commit a loop's branch is squashed into: what the loop did, in brief. */
final class SquashMessages {

  private static final int MAX_GOAL = 500;

  private SquashMessages() {}

  static SquashRequest request(LoopRequest request, Workspace workspace, Stop stop,
      int iteration, BigDecimal costUsd, BigDecimal costCapUsd, int earlierIterations,
      List<IterationSummary> iterations) {
    String after = " after " + iteration + (iteration == 1 ? " iteration" : " iterations");
    List<GateConfig> gates = request.config().gates();
    // Squashed before the gates decide: a goal met still needs their approval to be COMPLETED.
    String subject = "forge(" + request.loopId() + "): "
        + (stop.state() == LoopState.COMPLETED && !gates.isEmpty()
            ? "goal met" + after + ", for approval at "
                + String.join(", ", gates.stream().map(GateConfig::name).toList())
            : stop.state() + after);
    StringBuilder body = new StringBuilder();
    body.append("Goal: ").append(goal(request.prompt())).append("\n");
    body.append("Stopped: ").append(stop.reason()).append("\n");
    body.append("Cost: $").append(costUsd.toPlainString()).append(" of a $")
        .append(costCapUsd.toPlainString()).append(" cap\n");
    body.append("Started by: ").append(request.startedBy()).append("\n\n");
    body.append("Iterations (checkpoint before, agent outcome, promise, checks, cost):\n");
    if (earlierIterations > 0) {
      body.append("  ").append(earlierIterations).append(" earlier, listed in the audit log\n");
    }
    for (IterationSummary summary : iterations) {
      body.append("  ").append(summary.iteration()).append("  ")
          .append(shortSha(summary.checkpointSha())).append("  ")
          .append(summary.outcome()).append("  ")
          .append(summary.promiseSeen() ? "promise" : "-").append("  ")
          .append(summary.checksPassed() == null ? "-"
              : summary.checksPassed() ? "passed" : "failed").append("  $")
          .append(summary.costUsd().toPlainString()).append("\n");
    }
    body.append("\nEach iteration's checkpoint is kept under refs/forge/").append(request.loopId())
        .append("/ (git log refs/forge/").append(request.loopId()).append("/squashed).");
    return new SquashRequest(workspace, iteration, subject, body.toString());
  }

  /** The goal's first line, shortened: the commit message is no place for the whole prompt. */
  private static String goal(String prompt) {
    String first = prompt == null ? "" : prompt.strip().lines().findFirst().orElse("");
    return first.length() <= MAX_GOAL ? first : first.substring(0, MAX_GOAL) + "…";
  }

  private static String shortSha(String sha) {
    return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
  }
}
