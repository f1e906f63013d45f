package dev.forge.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One loop of the crash test, with the terminal state it must reach decided before it starts, and
 * what the test does to it on the way (approve or reject its gate, cancel it).
 */
final class CrashLoop {

  /**
   * A custom gate: what the test decides is whether a crash loses or repeats a decision, not
   * step-up, so the gate needs no TOTP code (production_deploy would).
   */
  static final String RELEASE = "release";
  private static final long RESEND_AFTER_NANOS = 60_000_000_000L;
  private static final Map<String, Object> RELEASE_GATE = Map.of("name", RELEASE,
      "approvers", List.of("team-lead"), "timeout", "24h",
      "run", List.of(List.of("bash", "deploy.sh")));

  /** The shapes of loop, each with the state it must end in. */
  enum Shape {
    /**
     * The demo agent ({@code --think 3}) completes textstats in at most 5 iterations (fewer when
     * a killed attempt's container went on writing: its retry starts from that work tree); lead
     * approves the gate.
     */
    APPROVED("COMPLETED"),
    /** The same, and lead rejects the gate. */
    REJECTED("REJECTED"),
    /** An agent that never finishes (3 s per iteration), with room for N iterations. */
    MAX_ITERATIONS("MAX_ITERATIONS"),
    /** An agent that never finishes (3 s and $0.01 per iteration), capped at $0.01 × N. */
    COST_CAP("COST_CAP_REACHED"),
    /** An agent that never finishes (3 s per iteration); dev cancels it after some iterations. */
    CANCELLED("CANCELLED");

    final String expectedState;

    Shape(String expectedState) {
      this.expectedState = expectedState;
    }
  }

  final Shape shape;
  final Path repo;
  final String base;
  final int cancelAfterIteration;
  /** N: the iterations the scripted shapes run until their limit. */
  final int iterations;
  String loopId;
  boolean decided;
  /** When the decision or cancel was sent, to send it again if the loop has not moved on. */
  long decidedAtNanos;
  JsonNode last;
  JsonNode end;

  CrashLoop(Shape shape, Path repo, int iterations, int cancelAfterIteration) throws IOException {
    this.shape = shape;
    this.iterations = iterations;
    this.repo = repo;
    if (shape != Shape.APPROVED && shape != Shape.REJECTED) {
      writeAgent(repo, 3);
    }
    this.base = ExampleRepos.git(repo, "rev-parse", "HEAD").strip();
    this.cancelAfterIteration = cancelAfterIteration;
  }

  /** The body of {@code POST /api/loops}. */
  Map<String, Object> startRequest() {
    Map<String, Object> config;
    switch (shape) {
      case APPROVED, REJECTED -> config = demo(10, List.of(RELEASE_GATE));
      case MAX_ITERATIONS -> config = scripted(iterations, "1.00");
      case COST_CAP -> config = scripted(iterations + 10, cap());
      default -> config = scripted(iterations + 50, "1.00");
    }
    return Map.of("repository", repo.toString(), "goal", "Implement the functions.",
        "config", config);
  }

  /** The API call this loop needs now, given its latest status, or null. */
  String nextAction(JsonNode status) {
    String state = status.get("state").asText();
    // A decision sent around a worker's death is sent again if the loop still waits a minute later
    // (a second vote or cancel is refused or harmless): the test is about the loop surviving the
    // kill, not about this client's single try.
    if (decided && System.nanoTime() - decidedAtNanos < RESEND_AFTER_NANOS) {
      return null;
    }
    if (state.equals("AWAITING_APPROVAL") && shape == Shape.APPROVED) {
      return "/api/loops/" + loopId + "/gates/" + RELEASE + "/approve";
    }
    if (state.equals("AWAITING_APPROVAL") && shape == Shape.REJECTED) {
      return "/api/loops/" + loopId + "/gates/" + RELEASE + "/reject";
    }
    if (shape == Shape.CANCELLED && status.get("iteration").asInt() >= cancelAfterIteration) {
      return "/api/loops/" + loopId + "/cancel";
    }
    return null;
  }

  /** What is wrong with how the loop ended, beyond its checkpoints; empty when nothing is. */
  List<String> endProblems() {
    List<String> problems = new ArrayList<>();
    String state = end.get("state").asText();
    if (!state.equals(shape.expectedState)) {
      problems.add(loopId + " (" + shape + ") ended " + state + " (" + end.get("reason").asText()
          + "), expected " + shape.expectedState);
      return problems;
    }
    int iteration = end.get("iteration").asInt();
    BigDecimal cost = end.get("costUsd").decimalValue();
    switch (shape) {
      case APPROVED, REJECTED -> expect(problems, iteration >= 1 && iteration <= 5,
          "1 to 5 iterations, ran " + iteration);
      case MAX_ITERATIONS -> expect(problems, iteration == iterations,
          iterations + " iterations, ran " + iteration);
      case COST_CAP -> expect(problems,
          iteration == iterations && cost.compareTo(new BigDecimal(cap())) == 0,
          iterations + " iterations costing $" + cap() + ", ran " + iteration + " costing $" + cost);
      default -> { }
    }
    return problems;
  }

  private String cap() {
    return new BigDecimal("0.01").multiply(BigDecimal.valueOf(iterations)).toPlainString();
  }

  private void expect(List<String> problems, boolean ok, String what) {
    if (!ok) {
      problems.add(loopId + " (" + shape + "): expected " + what);
    }
  }

  /**
   * The checkpoint commits of the loop since the base, as they were before the branch was
   * squashed ({@code refs/forge/<loop-id>/squashed}; the branch itself when nothing was squashed):
   * each must carry this loop's trailers, no checkpoint key may appear twice, and none may be empty
   * (same tree as its parent). The branch must then hold at most the one squash commit.
   *
   * @return key → number of commits carrying it, and the problems found under key "!problems"
   */
  Checkpoints checkpoints() {
    Map<String, Integer> keys = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String squashed = "refs/forge/" + loopId + "/squashed";
    boolean wasSquashed = !ExampleRepos.git(repo, "for-each-ref", squashed).isBlank();
    if (wasSquashed) {
      List<String> onBranch = ExampleRepos.git(repo, "rev-list",
          base + "..refs/heads/forge/" + loopId).lines().filter(l -> !l.isBlank()).toList();
      if (onBranch.size() != 1 || !ExampleRepos.git(repo, "cat-file", "-p", onBranch.get(0))
          .contains("Forge-Checkpoint: squash")) {
        problems.add(loopId + ": forge/" + loopId + " is not one squash commit: " + onBranch);
      }
    }
    String range = base + ".." + (wasSquashed ? squashed : "refs/heads/forge/" + loopId);
    List<String> commits = ExampleRepos.git(repo, "rev-list", "--reverse", range).lines()
        .map(String::strip).filter(l -> !l.isEmpty()).toList();
    for (String commit : commits) {
      String message = ExampleRepos.git(repo, "cat-file", "-p", commit);
      Map<String, String> trailers = new HashMap<>();
      for (String line : message.lines().toList()) {
        int colon = line.indexOf(": ");
        if (line.startsWith("Forge-") && colon > 0) {
          trailers.put(line.substring(0, colon), line.substring(colon + 2).strip());
        }
      }
      if (!loopId.equals(trailers.get("Forge-Loop")) || trailers.get("Forge-Checkpoint") == null) {
        problems.add(commit + " on forge/" + loopId + " is not one of its checkpoints");
        continue;
      }
      keys.merge(trailers.get("Forge-Checkpoint"), 1, Integer::sum);
      String parentTree = ExampleRepos.git(repo, "rev-parse", commit + "^^{tree}").strip();
      String tree = ExampleRepos.git(repo, "rev-parse", commit + "^{tree}").strip();
      if (tree.equals(parentTree)) {
        problems.add(commit + " (" + trailers.get("Forge-Checkpoint") + ") of " + loopId
            + " is empty");
      }
    }
    keys.forEach((key, count) -> {
      if (count > 1) {
        problems.add(loopId + ": checkpoint " + key + " committed " + count + " times");
      }
    });
    return new Checkpoints(commits.size(), keys, problems);
  }

  record Checkpoints(int commits, Map<String, Integer> keys, List<String> problems) {
    long duplicated() {
      return keys.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    }
  }

  private static Map<String, Object> demo(int maxIterations, List<Map<String, Object>> gates) {
    return withLoop(
        ForgeIT.inlineConfig(List.of("forge-demo-agent", "--think", "3", "{prompt}"), gates),
        Map.of("max_iterations", maxIterations));
  }

  /** An agent that never claims completion: sleeps, changes a file, reports $0.01. */
  private static void writeAgent(Path repo, int sleepSeconds) throws IOException {
    Files.writeString(repo.resolve("agent.sh"), """
        sleep %d
        echo "iteration $1" > progress.txt
        echo 'FORGE_USAGE {"model":"test","input_tokens":10,"output_tokens":5,"cost_usd":0.01}'
        """.formatted(sleepSeconds));
    ExampleRepos.git(repo, "add", "agent.sh");
    ExampleRepos.git(repo, "-c", "user.name=T", "-c", "user.email=t@forge.invalid", "commit", "-qm",
        "agent");
  }

  private static Map<String, Object> scripted(int maxIterations, String cap) {
    return withLoop(ForgeIT.withNoChecks(
            ForgeIT.inlineConfig(List.of("bash", "agent.sh", "{iteration}"), List.of())),
        Map.of("max_iterations", maxIterations, "cost_cap_usd", cap));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withLoop(Map<String, Object> config, Map<String, Object> set) {
    Map<String, Object> copy = new LinkedHashMap<>(config);
    Map<String, Object> loop = new LinkedHashMap<>((Map<String, Object>) copy.get("loop"));
    loop.putAll(set);
    copy.put("loop", loop);
    return copy;
  }
}
