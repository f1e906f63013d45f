package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.workflows.sandbox.SandboxStep;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxLabelsTest {

  private static SandboxStep named(String loopId, String stepName) {
    SandboxStep base = step(loopId, Path.of("/tmp"), List.of("true"));
    return new SandboxStep(
        base.loopId(), 3, stepName, base.workspace(), base.command(), base.sandbox(), null, null);
  }

  @Test
  void shouldNameTheContainerAfterLoopIterationAndStep() {
    assertThat(SandboxLabels.containerName(named("loop-42", "check-1")))
        .isEqualTo("forge-loop-42-3-check-1");
  }

  @Test
  void shouldReplaceUnsafeCharactersAndKeepDifferentStepsApart() {
    String slash = SandboxLabels.containerName(named("loop", "gate/deploy 1"));
    String underscore = SandboxLabels.containerName(named("loop", "gate_deploy_1"));

    assertThat(slash).matches("forge-loop-3-gate_deploy_1-[0-9a-f]{8}");
    assertThat(underscore).isEqualTo("forge-loop-3-gate_deploy_1");
    assertThat(slash).isNotEqualTo(underscore);
  }

  @Test
  void shouldKeepNamesShort() {
    assertThat(SandboxLabels.containerName(named("l".repeat(500), "s".repeat(500))))
        .hasSizeLessThan(150)
        .matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  }

  @Test
  void shouldLabelTheContainerWithOwnerLoopIterationStepAndRun() {
    assertThat(SandboxLabels.forContainer(named("loop", "agent"), "run-1"))
        .containsEntry("dev.forge.owner", "forge")
        .containsEntry("dev.forge.loop-id", "loop")
        .containsEntry("dev.forge.iteration", "3")
        .containsEntry("dev.forge.step", "agent")
        .containsEntry("dev.forge.run-id", "run-1");
  }
}
