package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo: an AFK loop on the example repository with the scripted demo agent, started by {@code
 * dev} (engineer) and approved by {@code lead} (approver) — after showing that {@code dev} may not
 * approve their own loop. The production gate needs a TOTP code: the demo has {@code admin} enrol
 * {@code lead} and computes lead's code itself ({@link DemoAuthenticator}).
 */
final class DemoCommand {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration LIMIT = Duration.ofMinutes(10);

  private final PrintStream out;
  private final ApiClient dev;
  private final ApiClient lead;
  private final ApiClient admin;
  private final Path dataDir;
  private int printedIterations;
  private String lastState = "";
  private boolean sandboxShown;

  DemoCommand(PrintStream out, ApiClient dev, ApiClient lead, ApiClient admin, Path dataDir) {
    this.out = out;
    this.dev = dev;
    this.lead = lead;
    this.admin = admin;
    this.dataDir = dataDir;
  }

  int run(Path repository) {
    out.println("demo repository: " + repository);
    ApiClient.Response started = dev.post("api/loops", Map.of("repository", repository.toString()));
    if (!started.ok()) {
      throw new CliException("starting the loop failed: " + started.problem());
    }
    String loopId = started.body().get("loopId").asText();
    out.println("started " + loopId + " as dev (engineer); checkpoints go to branch forge/" + loopId);

    JsonNode status = follow(loopId, true);
    if ("AWAITING_APPROVAL".equals(status.get("state").asText())) {
      decide(loopId, status.get("pendingGate"));
      status = follow(loopId, false);
    }
    Path history = exportHistory(loopId);
    summarize(status, repository, history);
    return "COMPLETED".equals(status.get("state").asText()) ? 0 : 1;
  }

  /**
   * Prints progress until the loop ends (or, with {@code stopAtGate}, waits for a gate decision);
   * returns the last status.
   */
  private JsonNode follow(String loopId, boolean stopAtGate) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = dev.getOk("api/loops/" + loopId);
      JsonNode iterations = status.get("iterations");
      for (; printedIterations < iterations.size(); printedIterations++) {
        out.println("  " + Format.iteration(iterations.get(printedIterations), status));
      }
      String state = status.get("state").asText();
      if (!state.equals(lastState)) {
        out.println("  state " + state + ": " + status.get("reason").asText());
        lastState = state;
      }
      if ((stopAtGate && state.equals("AWAITING_APPROVAL")) || Format.isTerminal(state)) {
        return status;
      }
      if (!sandboxShown && state.equals("RUNNING")) {
        SandboxPeek.running(loopId).ifPresent(summary -> {
          out.println("  " + summary);
          sandboxShown = true;
        });
      }
      sleep();
    }
    throw new CliException("the loop did not finish within " + LIMIT.toMinutes() + " minutes");
  }

  private void decide(String loopId, JsonNode gate) {
    String name = gate.get("name").asText();
    out.println("gate " + name + " waits for approval of checkpoint "
        + Format.shortSha(gate.get("checkpointSha").asText()) + "; approvers " + gate.get("approvers"));
    String path = "api/loops/" + loopId + "/gates/" + name + "/approve";
    String sha = gate.get("checkpointSha").asText();
    ApiClient.Response self = dev.post(path,
        Map.of("comment", "approving my own work", "checkpointSha", sha));
    out.println("  dev (who started the loop) tries to approve: refused, " + self.problem());
    Map<String, Object> approval = new java.util.LinkedHashMap<>(
        Map.of("comment", "reviewed the diff; ship it", "checkpointSha", sha));
    if (gate.path("stepUp").asBoolean()) {
      // production_deploy asks for step-up: the admin enrols lead, and the demo plays lead's
      // authenticator app with the secret shown once (kept in memory for this run only).
      DemoAuthenticator authenticator = DemoAuthenticator.enrol(admin, "lead");
      out.println("  " + name + " needs a TOTP code with the approval: admin enrols lead"
          + " (confirmed by a second request); the demo computes lead's code");
      approval.put("totp", authenticator.code());
    }
    ApiClient.Response approved = lead.post(path, approval);
    if (!approved.ok()) {
      throw new CliException("lead could not approve: " + approved.problem());
    }
    out.println("  lead (approver) approves: " + approved.body().get("state").asText());
  }

  private Path exportHistory(String loopId) {
    ApiClient.Response history = dev.get("api/loops/" + loopId + "/history");
    if (!history.ok()) {
      throw new CliException("exporting the history failed: " + history.problem());
    }
    try {
      Path file = dataDir.resolve("histories").resolve(loopId + ".json");
      Files.createDirectories(file.getParent());
      Files.writeString(file, history.raw());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the exported history", e);
    }
  }

  private void summarize(JsonNode status, Path repository, Path history) {
    out.println();
    out.println("loop " + status.get("loopId").asText() + " finished");
    out.println("  final state:   " + status.get("state").asText() + " (" + status.get("reason").asText() + ")");
    out.println("  iterations:    " + status.get("iteration").asInt() + " of at most " + status.get("maxIterations").asInt());
    String loopId = status.get("loopId").asText();
    List<String> commits = Format.createdCheckpoints(status.get("checkpoints"), false);
    List<String> squash = Format.createdCheckpoints(status.get("checkpoints"), true);
    out.println("  checkpoints:   " + Format.checkpointsByIteration(status.get("checkpoints")));
    out.println("                 " + commits.size() + " new commit(s), each kept by a ref under refs/forge/"
        + loopId + "/");
    out.println("  branch:        " + status.get("branch").asText() + " = one squashed commit "
        + String.join(" ", squash) + " on the base");
    out.println("  cost:          $" + status.get("costUsd").decimalValue().toPlainString() + " of $"
        + status.get("costCapUsd").decimalValue().toPlainString() + " cap, "
        + status.get("inputTokens").asLong() + " tokens in, " + status.get("outputTokens").asLong() + " out");
    for (JsonNode gate : status.get("gates")) {
      out.println("  gate:          " + gate.get("name").asText() + " " + gate.get("state").asText()
          + (gate.get("decidedBy").isNull() ? "" : " by " + gate.get("decidedBy").asText()));
    }
    out.println("  history:       " + history);
    out.println("  inspect:       git -C " + repository + " log " + status.get("branch").asText()
        + "; git -C " + repository + " log --oneline refs/forge/" + loopId + "/squashed");
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
