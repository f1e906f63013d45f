package dev.forge.spec.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LoopIdTest {

  @Test
  void shouldIssueIdsThatAreAlsoSafeNames() {
    Random random = new Random(7);
    for (int i = 0; i < 100; i++) {
      String id = LoopId.next(random);
      assertThat(LoopId.isIssued(id)).as(id).isTrue();
      assertThat(LoopId.isSafe(id)).as(id).isTrue();
    }
  }

  @Test
  void shouldRefuseWhatCannotBeABranchOrADirectory() {
    assertThat(LoopId.isSafe("-loop")).isFalse();
    assertThat(LoopId.isSafe("loop/../x")).isFalse();
    assertThat(LoopId.isSafe("lo")).isFalse();
    assertThat(LoopId.isSafe("Loop-1")).isFalse();
    assertThat(LoopId.isSafe(null)).isFalse();
    assertThat(LoopId.isIssued("it-flood-1234abcd")).isFalse();
    assertThat(LoopId.isSafe("it-flood-1234abcd")).isTrue();
  }
}
