package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** One readable line per loop event (docs/api.md, "Events", lists their data). */
final class EventLines {

  private EventLines() {}

  static String line(String event, JsonNode d) {
    return switch (event) {
      case "state" -> "state " + d.path("state").asText() + reason(d);
      case "iteration.started" -> "iteration " + d.path("iteration").asText() + "/"
          + d.path("maxIterations").asText() + " started";
      case "iteration.finished" -> "iteration " + d.path("iteration").asText() + " finished: agent "
          + (d.path("outcome").asText().equals("EXITED") ? "exit " + d.path("exitCode").asText()
              : d.path("outcome").asText())
          + ", promise " + (d.path("promiseSeen").asBoolean() ? "seen" : "not yet")
          + (d.path("checksPassed").isBoolean()
              ? ", checks " + (d.path("checksPassed").asBoolean() ? "passed" : "failed") : "")
          + ", $" + d.path("costUsd").asText() + " (" + d.path("costSource").asText() + ")";
      case "cost" -> "cost $" + d.path("costUsd").asText()
          + (d.hasNonNull("costCapUsd") ? " of $" + d.path("costCapUsd").asText() : "")
          + " (" + d.path("inputTokens").asText("0") + " input, " + d.path("outputTokens").asText("0")
          + " output tokens)";
      case "checkpoint" -> "checkpoint " + Format.shortSha(d.path("sha").asText()) + " ("
          + d.path("kind").asText() + ", iteration " + d.path("iteration").asText()
          + (d.has("filesChanged") ? ", " + d.path("filesChanged").asText() + " files changed" : "") + ")";
      case "gate.requested" -> "gate " + d.path("gate").asText() + " waits for a decision on "
          + Format.shortSha(d.path("checkpointSha").asText()) + " by " + d.path("approvers");
      case "gate.approval" -> "gate " + d.path("gate").asText() + " approved by "
          + d.path("approvedBy").asText() + " (" + d.path("approval").asText() + " of "
          + d.path("requiredApprovals").asText() + ")" + comment(d);
      case "gate.reminder" -> "gate " + d.path("gate").asText() + " still waiting (reminder "
          + d.path("reminder").asText() + ", " + d.path("waitingSeconds").asText() + " s)";
      case "gate.escalated" -> "gate " + d.path("gate").asText() + " escalated; approvers now "
          + d.path("approvers");
      case "gate.decided" -> "gate " + d.path("gate").asText() + " " + d.path("decision").asText()
          + (d.hasNonNull("decidedBy") ? " by " + d.path("decidedBy").asText() : "") + comment(d);
      case "terminal" -> "ended " + d.path("state").asText() + reason(d) + " after "
          + d.path("iteration").asText() + " iterations, $" + d.path("costUsd").asText();
      case "model.call" -> "iteration " + d.path("iteration").asText() + ": model "
          + d.path("target").asText() + " -> " + detail(d, "status") + ", "
          + detail(d, "inputTokens") + " input, " + detail(d, "outputTokens") + " output tokens, $"
          + detail(d, "costUsd");
      case "model.refused" -> "iteration " + d.path("iteration").asText() + ": model call refused ("
          + detail(d, "rule") + "): " + d.path("target").asText();
      case "agent.tool" -> "iteration " + d.path("iteration").asText() + ": tool "
          + detail(d, "tool") + " " + d.path("target").asText();
      case "prompt.flagged" -> "iteration " + d.path("iteration").asText() + ": flagged "
          + d.path("target").asText() + " (" + detail(d, "rule") + ")";
      case "egress.denied" -> "iteration " + d.path("iteration").asText() + ": egress denied "
          + d.path("target").asText();
      default -> event + " " + d;
    };
  }

  /** A field of an agent event's {@code detail} (docs/audit-actions.md). */
  private static String detail(JsonNode d, String field) {
    return d.path("detail").path(field).asText("?");
  }

  private static String reason(JsonNode d) {
    String reason = d.path("reason").asText("");
    return reason.isEmpty() || reason.equals("null") ? "" : ": " + reason;
  }

  private static String comment(JsonNode d) {
    String comment = d.path("comment").asText("");
    return comment.isEmpty() || comment.equals("null") ? "" : ": \"" + comment + "\"";
  }
}
