package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How the CLI prints loop facts. */
final class Format {

  private static final Set<String> TERMINAL = Set.of("COMPLETED", "REJECTED", "MAX_ITERATIONS",
      "MAX_RUNTIME", "COST_CAP_REACHED", "NO_PROGRESS", "FAILED", "CANCELLED");

  private Format() {}

  static boolean isTerminal(String state) {
    return TERMINAL.contains(state);
  }

  static String iteration(JsonNode it, JsonNode status) {
    JsonNode checks = it.get("checksPassed");
    return "iteration " + it.get("iteration").asInt() + "/" + status.get("maxIterations").asInt()
        + ": checkpoint " + shortSha(it.get("checkpointSha").asText())
        + (reused(it, status) ? " (nothing changed: no new commit)" : "")
        + ", agent " + (it.get("outcome").asText().equals("EXITED")
            ? "exit " + it.get("exitCode").asInt() : it.get("outcome").asText())
        + ", promise " + (it.get("promiseSeen").asBoolean() ? "seen" : "not yet")
        + (checks == null || checks.isNull() ? "" : ", checks " + (checks.asBoolean() ? "passed" : "failed"))
        + ", $" + it.get("costUsd").decimalValue().toPlainString() + " (" + it.get("costSource").asText() + ")";
  }

  /**
   * Whether the iteration's checkpoint made no commit of its own (Forge makes no empty commits, so
   * the first iteration on a clean work tree starts from the base commit itself).
   */
  static boolean reused(JsonNode it, JsonNode status) {
    JsonNode checkpoints = status.path("checkpoints");
    int iteration = it.get("iteration").asInt();
    for (JsonNode checkpoint : checkpoints) {
      if (checkpoint.path("iteration").asInt() == iteration
          && "BEFORE_ITERATION".equals(checkpoint.path("kind").asText())) {
        return !checkpoint.path("created").asBoolean(true);
      }
    }
    return false;
  }

  /**
   * One entry per iteration and for the final state, e.g. {@code 1=994309bae4 (base)
   * 2=d0ca5f4e24 … final=ad8275022a}; squash commits are left out.
   */
  static String checkpointsByIteration(JsonNode checkpoints) {
    List<String> entries = new ArrayList<>();
    for (JsonNode checkpoint : checkpoints) {
      String kind = checkpoint.path("kind").asText();
      String label = switch (kind) {
        case "BEFORE_ITERATION" -> String.valueOf(checkpoint.path("iteration").asInt());
        case "FINAL" -> "final";
        default -> null;
      };
      if (label != null) {
        entries.add(label + "=" + shortSha(checkpoint.path("sha").asText())
            + (checkpoint.path("created").asBoolean(true) ? "" : " (no new commit)"));
      }
    }
    return String.join(" ", entries);
  }

  /** Short shas of the commits the loop created: its squash ({@code squashes}) or the others. */
  static List<String> createdCheckpoints(JsonNode checkpoints, boolean squashes) {
    List<String> shas = new ArrayList<>();
    for (JsonNode checkpoint : checkpoints) {
      String sha = shortSha(checkpoint.get("sha").asText());
      boolean squash = "SQUASHED".equals(checkpoint.path("kind").asText());
      if (squash == squashes && checkpoint.get("created").asBoolean() && !shas.contains(sha)) {
        shas.add(sha);
      }
    }
    return shas;
  }

  static String shortSha(String sha) {
    return sha.length() > 10 ? sha.substring(0, 10) : sha;
  }
}
