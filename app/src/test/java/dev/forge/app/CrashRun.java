package dev.forge.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs loops of every {@link CrashLoop.Shape} at once while a second thread kills the worker with
 * SIGKILL at seeded random moments and starts it again, until every loop has ended; then waits for
 * the worker's orphan sweep and counts what is left: wrong end states, duplicated or empty
 * checkpoint commits, containers and networks of the loops, disk quota images.
 */
final class CrashRun {

  private final ForgeProcesses forge;
  private final int loopCount;
  private final int iterations;
  private final long seed;
  private final int maxKills;
  private final int minGapMillis;
  private final int maxGapMillis;
  private final List<CrashLoop> loops = new ArrayList<>();
  private volatile boolean allEnded;
  private volatile int kills;
  private volatile Throwable killerFailure;

  CrashRun(ForgeProcesses forge, int loopCount, int iterations, long seed, int maxKills,
      String gapSeconds) {
    this.forge = forge;
    this.loopCount = loopCount;
    this.iterations = iterations;
    this.seed = seed;
    this.maxKills = maxKills;
    String[] gap = gapSeconds.split("-");
    this.minGapMillis = Integer.parseInt(gap[0].strip()) * 1000;
    this.maxGapMillis = Integer.parseInt(gap[gap.length - 1].strip()) * 1000;
  }

  /** What the run counted; {@link #toString} is the printed report. */
  record Report(long seed, int loops, int kills, int workerStarts, Map<String, Integer> states,
      int wrongStates, int commits, long duplicatedCheckpoints, int leftoversBeforeSweep,
      int leftoversAfterSweep, Duration loopsTime, Duration wallTime, List<String> problems) {

    @Override
    public String toString() {
      return "Crash recovery report (seed " + seed + ")\n"
          + "  loops:                     " + loops + "\n"
          + "  worker kills (SIGKILL):    " + kills + "\n"
          + "  worker starts:             " + workerStarts + " (1 + " + (workerStarts - 1)
          + " restarts)\n"
          + "  end states:                " + states + "\n"
          + "  wrong end states:          " + wrongStates + "\n"
          + "  checkpoint commits:        " + commits + "\n"
          + "  duplicated checkpoints:    " + duplicatedCheckpoints + "\n"
          + "  leftovers before the sweep: " + leftoversBeforeSweep
          + " (containers, networks, disk quota images of the loops)\n"
          + "  leftovers after the sweep:  " + leftoversAfterSweep + "\n"
          + "  time until every loop ended: " + loopsTime.toSeconds() + " s\n"
          + "  wall time (with the sweep):  " + wallTime.toSeconds() + " s\n"
          + "  problems:                  " + (problems.isEmpty() ? "none" : problems) + "\n";
    }
  }

  Report run(Duration limit) throws Exception {
    System.out.println("crash run: " + loopCount + " loops, seed " + seed + " (-Dforge.crash.seed="
        + seed + " repeats the plan and the kill schedule)");
    long start = System.nanoTime();
    if (!forge.workerReady()) {
      forge.startWorker();
    }
    Random plan = new Random(seed);
    ForgeHttp dev = new ForgeHttp(forge.api(), forge.token("dev"), Duration.ofSeconds(10));
    ForgeHttp lead = new ForgeHttp(forge.api(), forge.token("lead"), Duration.ofSeconds(10));
    CrashLoop.Shape[] shapes = shapes();
    for (int i = 0; i < loopCount; i++) {
      CrashLoop loop = new CrashLoop(shapes[i % shapes.length], ExampleRepos.create(
          forge.dataDir.resolve("repos").resolve("crash-" + i)), iterations,
          2 + plan.nextInt(Math.max(1, iterations - 2)));
      ForgeHttp.Answer started = dev.post("/api/loops", loop.startRequest());
      if (started.status() != 201) {
        throw new AssertionError("starting loop " + i + ": " + started.body());
      }
      loop.loopId = started.json().get("loopId").asText();
      loops.add(loop);
    }
    Thread killer = new Thread(this::killAtRandom, "crash-killer");
    killer.start();
    long deadline = start + limit.toNanos();
    try {
      drive(dev, lead, deadline);
    } finally {
      allEnded = true;
      killer.join(TimeUnit.MINUTES.toMillis(5));
    }
    if (!forge.workerReady()) {
      forge.startWorker();
    }
    Duration loopsTime = Duration.ofNanos(System.nanoTime() - start);
    int before = leftovers();
    int after = awaitSweep(REAPER_WAIT);
    return report(before, after, loopsTime, Duration.ofNanos(System.nanoTime() - start));
  }

  private static final Duration REAPER_WAIT = Duration.ofSeconds(90);
  private static final java.util.Set<String> CLOSING = java.util.Set.of(
      "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED", "EVENT_TYPE_WORKFLOW_EXECUTION_FAILED",
      "EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED", "EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED",
      "EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT");

  /**
   * The shapes to run, from {@code -Dforge.crash.shapes} (comma-separated names; default all but
   * CANCELLED, which bench/crash-recovery.sh adds). CI leaves out CANCELLED: cancelling a loop whose step a dead worker held can make the embedded
   * Temporal test server refuse the workflow's completion for good ({@code ACTIVITY_UNKNOWN} on a
   * cancel request), so the loop never closes; see bench/README.md. The bench runs every shape.
   */
  static CrashLoop.Shape[] shapes() {
    String names = System.getProperty("forge.crash.shapes",
        "APPROVED,REJECTED,MAX_ITERATIONS,COST_CAP");
    return java.util.Arrays.stream(names.split(",")).map(String::strip)
        .map(CrashLoop.Shape::valueOf).toArray(CrashLoop.Shape[]::new);
  }

  /** Polls every loop while a worker serves, deciding gates and cancelling as planned. */
  private void drive(ForgeHttp dev, ForgeHttp lead, long deadline) {
    while (loops.stream().anyMatch(l -> l.end == null)) {
      if (killerFailure != null) {
        throw new AssertionError("killing or restarting the worker failed", killerFailure);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("loops still running at the deadline: " + loops.stream()
            .filter(l -> l.end == null).map(l -> l.loopId + "=" + l.last).toList());
      }
      for (CrashLoop loop : loops) {
        if (loop.end != null || !forge.workerReady()) {
          continue;
        }
        JsonNode status = statusOrNull(dev, loop.loopId);
        if (status == null) {
          continue;
        }
        loop.last = status;
        if (ForgeHttpStates.terminal(status)) {
          // The status turns terminal before the workflow has closed (a cancelled loop still
          // takes its final checkpoint): a loop has ended when its history says so.
          if (closed(dev, loop.loopId)) {
            loop.end = status;
          }
          continue;
        }
        String action = loop.nextAction(status);
        if (action != null) {
          ForgeHttp as = action.endsWith("/cancel") ? dev : lead;
          int code = tryPost(as, action, status);
          if (code == 200 || code == 202) {
            loop.decided = true;
            loop.decidedAtNanos = System.nanoTime();
          }
        }
      }
      ForgeProcesses.sleep(Duration.ofMillis(500));
    }
    allEnded = true;
  }

  private void killAtRandom() {
    Random random = new Random(seed ^ 0x9E3779B97F4A7C15L);
    try {
      while (!allEnded && kills < maxKills) {
        long gap = minGapMillis + (long) random.nextInt(maxGapMillis - minGapMillis + 1);
        long until = System.currentTimeMillis() + gap;
        while (!allEnded && System.currentTimeMillis() < until) {
          Thread.sleep(100);
        }
        if (allEnded) {
          return;
        }
        forge.killWorker();
        kills++;
        System.out.println("crash run: killed the worker (kill " + kills + ") after " + gap
            + " ms; starting it again");
        forge.startWorker();
      }
    } catch (Exception | AssertionError e) {
      killerFailure = e;
    }
  }

  private static boolean closed(ForgeHttp http, String loopId) {
    try {
      ForgeHttp.Answer answer = http.get("/api/loops/" + loopId + "/history");
      if (answer.status() != 200) {
        return false;
      }
      JsonNode events = answer.json().get("events");
      return CLOSING.contains(events.get(events.size() - 1).get("eventType").asText());
    } catch (AssertionError e) {
      return false;
    }
  }

  private static JsonNode statusOrNull(ForgeHttp http, String loopId) {
    try {
      ForgeHttp.Answer answer = http.get("/api/loops/" + loopId);
      return answer.status() == 200 ? answer.json() : null;
    } catch (AssertionError e) {
      return null; // timed out while the worker was going down
    }
  }

  /** A decision names the checkpoint the approver saw, as every approval must. */
  private static int tryPost(ForgeHttp http, String path, JsonNode status) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("comment", "crash test");
    JsonNode gate = status.path("pendingGate");
    if (gate.hasNonNull("checkpointSha")) {
      body.put("checkpointSha", gate.get("checkpointSha").asText());
    }
    try {
      return http.post(path, body).status();
    } catch (AssertionError e) {
      return -1;
    }
  }

  /** Containers and networks labelled with one of the loops, and their disk quota images. */
  private int leftovers() throws IOException, InterruptedException {
    int count = 0;
    for (CrashLoop loop : loops) {
      String label = "label=dev.forge.loop-id=" + loop.loopId;
      count += docker("ps", "-aq", "--filter", label).size();
      count += docker("network", "ls", "-q", "--filter", label).size();
      if (Files.exists(forge.dataDir.resolve("worktrees/.quota/" + loop.loopId + ".img"))) {
        count++;
      }
    }
    return count;
  }

  private int awaitSweep(Duration wait) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    int left = leftovers();
    while (left > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      left = leftovers();
    }
    return left;
  }

  private static List<String> docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private Report report(int before, int after, Duration loopsTime, Duration wall) {
    Map<String, Integer> states = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    int wrong = 0;
    int commits = 0;
    long duplicated = 0;
    for (CrashLoop loop : loops) {
      states.merge(loop.end.get("state").asText(), 1, Integer::sum);
      List<String> endProblems = loop.endProblems();
      if (!loop.end.get("state").asText().equals(loop.shape.expectedState)) {
        wrong++;
      }
      problems.addAll(endProblems);
      CrashLoop.Checkpoints checkpoints = loop.checkpoints();
      commits += checkpoints.commits();
      duplicated += checkpoints.duplicated();
      problems.addAll(checkpoints.problems());
    }
    if (after > 0) {
      problems.add(after + " container(s), network(s) or quota image(s) of the loops survived"
          + " the sweep");
    }
    return new Report(seed, loops.size(), kills, forge.workerStarts(), states, wrong, commits,
        duplicated, before, after, loopsTime, wall, problems);
  }
}
