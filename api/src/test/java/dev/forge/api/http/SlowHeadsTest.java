package dev.forge.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlowHeadsTest {

  private final SlowHeads<String> heads = new SlowHeads<>(1000);
  private final List<String> cut = new ArrayList<>();

  @Test
  void shouldCutAConnectionStillReadingItsHeadAfterTheLimitOnce() {
    // given a connection seen reading its head at 0
    heads.sweep(List.of("slow"), c -> true, 0, cut::add);

    // when sweeps go on while it still reads
    heads.sweep(List.of("slow"), c -> true, 1000, cut::add);
    heads.sweep(List.of("slow"), c -> true, 1001, cut::add);
    heads.sweep(List.of("slow"), c -> true, 2000, cut::add);

    // then it is cut once, after the limit
    assertThat(cut).containsExactly("slow");
  }

  @Test
  void shouldRestartTheClockWhenAConnectionStopsReadingAHead() {
    // given a head that took 900 ms, then a request being served (or idle keep-alive)
    heads.sweep(List.of("c"), c -> true, 0, cut::add);
    heads.sweep(List.of("c"), c -> true, 900, cut::add);
    heads.sweep(List.of("c"), c -> false, 950, cut::add);

    // when the next head starts and takes 900 ms as well
    heads.sweep(List.of("c"), c -> true, 2000, cut::add);
    heads.sweep(List.of("c"), c -> true, 2900, cut::add);

    // then nothing is cut
    assertThat(cut).isEmpty();
  }

  @Test
  void shouldForgetConnectionsThatAreGone() {
    heads.sweep(List.of("gone", "here"), Set.of("gone", "here")::contains, 0, cut::add);
    heads.sweep(List.of("here"), c -> true, 500, cut::add);

    // "gone" comes back as a new connection (a reused wrapper): its clock starts afresh
    heads.sweep(List.of("here", "gone"), c -> true, 1500, cut::add);

    assertThat(cut).containsExactly("here");
  }
}
