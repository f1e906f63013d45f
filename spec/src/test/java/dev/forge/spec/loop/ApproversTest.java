package dev.forge.spec.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule of who may decide a gate: explicit user and group entries, and bare names. */
class ApproversTest {

  @Test
  void shouldAdmitAUserEntryOnlyForThatUser() {
    assertThat(Approvers.mayDecide(List.of("user:lead"), "lead", List.of())).isTrue();
    assertThat(Approvers.mayDecide(List.of("user:lead"), "dana", List.of("lead"))).isFalse();
  }

  @Test
  void shouldAdmitAGroupEntryOnlyForMembersNotForAUserOfThatName() {
    assertThat(Approvers.mayDecide(List.of("group:team-lead"), "rita", List.of("team-lead")))
        .isTrue();
    assertThat(Approvers.mayDecide(List.of("group:team-lead"), "team-lead", List.of("web")))
        .isFalse();
  }

  @Test
  void shouldAdmitABareNameAsUserOrGroupAsBefore() {
    assertThat(Approvers.mayDecide(List.of("team-lead"), "rita", List.of("team-lead"))).isTrue();
    assertThat(Approvers.mayDecide(List.of("team-lead"), "team-lead", List.of())).isTrue();
    assertThat(Approvers.mayDecide(List.of("team-lead"), "dana", List.of("dba"))).isFalse();
  }

  @Test
  void shouldLetAnyoneDecideAGateWithoutApprovers() {
    assertThat(Approvers.mayDecide(List.of(), "anyone", List.of())).isTrue();
  }

  @Test
  void shouldWidenInOrderWithoutDuplicates() {
    assertThat(Approvers.widened(List.of("group:a", "b"), List.of("b", "user:c")))
        .containsExactly("group:a", "b", "user:c");
  }

  @Test
  void shouldAcceptOnlyWellFormedEntries() {
    assertThat(Approvers.ENTRY.matcher("user:alice").matches()).isTrue();
    assertThat(Approvers.ENTRY.matcher("group:ops.oncall_2").matches()).isTrue();
    assertThat(Approvers.ENTRY.matcher("team-lead").matches()).isTrue();
    assertThat(Approvers.ENTRY.matcher("role:admin").matches()).isFalse();
    assertThat(Approvers.ENTRY.matcher("user:").matches()).isFalse();
    assertThat(Approvers.ENTRY.matcher("group:-x").matches()).isFalse();
  }
}
