package dev.forge.workflows.loop;

import dev.forge.spec.loop.GateConfig;
import dev.forge.spec.loop.LoopConfig;

import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxOutcome;
import dev.forge.workflows.sandbox.SandboxResult;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.CheckpointKind;
import dev.forge.workflows.workspace.CheckpointRequest;
import dev.forge.workflows.workspace.SquashRequest;
import dev.forge.workflows.workspace.Workspace;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Requests and activity results shared by the workflow tests. */
final class LoopFixtures {

  static final String LOOP_ID = "loop-test0001";
  static final String REPO = "/repos/textstats";
  static final String STARTER = "dev";
  static final String APPROVER = "lead";
  static final long DAY_SECONDS = 24 * 3600;

  private LoopFixtures() {}

  static LoopConfig config(int maxIterations, String costCap, List<GateConfig> gates) {
    return new LoopConfig(
        List.of("forge-demo-agent", "{prompt}"),
        UsageFormat.FORGE_USAGE,
        "LOOP_COMPLETE",
        List.of(List.of("bash", "tests/run.sh")),
        maxIterations,
        4 * 3600,
        new BigDecimal(costCap),
        new SandboxConfig(
            "forge/demo-agent:0.1.0-bookworm",
            new SandboxLimits(512L << 20, 1_000_000_000L, 128, 300, 64L << 20, 1 << 20, 1L << 30),
            Map.of()),
        gates);
  }

  static GateConfig productionGate() {
    return new GateConfig(
        "production_deploy",
        List.of(APPROVER, "release-managers"),
        DAY_SECONDS,
        GateConfig.OnTimeout.REJECT,
        List.of(List.of("bash", "deploy.sh")));
  }

  static LoopRequest request(LoopConfig config) {
    return new LoopRequest(LOOP_ID, REPO, "Implement every function.", STARTER, config);
  }

  static Workspace workspace() {
    return new Workspace(LOOP_ID, REPO, "/forge/worktrees/" + LOOP_ID, "forge/" + LOOP_ID, "base0");
  }

  static Checkpoint checkpointFor(CheckpointRequest request) {
    return new Checkpoint(
        request.iteration(), request.kind(), "sha-" + request.key(), request.iteration() > 1, 1);
  }

  static Checkpoint squashFor(SquashRequest request) {
    return new Checkpoint(request.iteration(), CheckpointKind.SQUASHED, "sha-squash", true, 1);
  }

  static SandboxResult agent(boolean promise, String cost) {
    return new SandboxResult("agent", SandboxOutcome.EXITED, 0, 10, promise ? "LOOP_COMPLETE" : "working",
        false, promise,
        new Usage(100, 0, 0, 20, new BigDecimal(cost), Usage.REPORTED, "forge-demo"));
  }

  static SandboxResult command(String step, int exitCode, String output) {
    return new SandboxResult(step, SandboxOutcome.EXITED, exitCode, 10, output, false, false,
        Usage.none(Usage.MISSING));
  }

  static SandboxResult ended(String step, SandboxOutcome outcome) {
    return new SandboxResult(step, outcome, 137, 10, "killed", false, false,
        Usage.none(Usage.MISSING));
  }

  static GateDecision decision(String by, boolean approve) {
    return new GateDecision("production_deploy", by, List.of(), approve, approve ? "ship it" : "not yet",
        "sha-squash");
  }
}
