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
        + ", agent " + (it.get("outcome").asText().equals("EXITED")
            ? "exit " + it.get("exitCode").asInt() : it.get("outcome").asText())
        + ", promise " + (it.get("promiseSeen").asBoolean() ? "seen" : "not yet")
        + (checks == null || checks.isNull() ? "" : ", checks " + (checks.asBoolean() ? "passed" : "failed"))
        + ", $" + it.get("costUsd").decimalValue().toPlainString() + " (" + it.get("costSource").asText() + ")";
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
