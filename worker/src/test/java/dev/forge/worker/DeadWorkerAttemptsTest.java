package dev.forge.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.temporal.client.WorkflowClient;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which activity attempts a starting worker takes for a dead worker's: only its own host's. */
class DeadWorkerAttemptsTest {

  private static final String OWN = "100@forge-host";
  private final Set<Long> alive = Set.of(100L, 200L);
  private final DeadWorkerAttempts attempts =
      new DeadWorkerAttempts(mock(WorkflowClient.class), loop -> { }, alive::contains);

  @Test
  void shouldJudgeAWorkerOfThisHostWhoseProcessIsGoneDead() {
    assertThat(attempts.isDeadHere("300@forge-host", OWN)).isTrue();
  }

  @Test
  void shouldLeaveLiveWorkersThisWorkerAndOtherHostsAlone() {
    assertThat(attempts.isDeadHere("200@forge-host", OWN)).as("alive").isFalse();
    assertThat(attempts.isDeadHere(OWN, OWN)).as("itself").isFalse();
    assertThat(attempts.isDeadHere("300@other-host", OWN)).as("another host").isFalse();
  }

  @Test
  void shouldNotJudgeIdentitiesOfAnotherShape() {
    assertThat(attempts.isDeadHere("worker-7", OWN)).isFalse();
    assertThat(attempts.isDeadHere("", OWN)).isFalse();
    assertThat(attempts.isDeadHere(null, OWN)).isFalse();
    assertThat(attempts.isDeadHere("300@forge-host", "custom-identity")).isFalse();
  }

  @Test
  void shouldSeeTheRealProcessTable() throws Exception {
    // given a process that has ended, and this one
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    long self = ProcessHandle.current().pid();
    DeadWorkerAttempts real = new DeadWorkerAttempts(mock(WorkflowClient.class), loop -> { });

    // then
    assertThat(real.isDeadHere(ended.pid() + "@h", self + "@h")).isTrue();
    assertThat(real.isDeadHere("1@h", self + "@h")).as("pid 1 is alive").isFalse();
  }
}
