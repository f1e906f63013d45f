package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.workflows.loop.LoopState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopListQueryTest {

  @Test
  void shouldDefaultToEveryLoopFiftyAtATime() {
    LoopListQuery query = LoopListQuery.read(Map.of());

    assertThat(query.states()).isEmpty();
    assertThat(query.repository()).isNull();
    assertThat(query.startedBy()).isNull();
    assertThat(query.limit()).isEqualTo(50);
    assertThat(query.offset()).isZero();
  }

  @Test
  void shouldTakeStatesRepeatedAndCommaSeparated() {
    LoopListQuery query = LoopListQuery.read(Map.of(
        "state", new String[] {"RUNNING,AWAITING_APPROVAL", "COMPLETED"},
        "repository", new String[] {"/srv/repos/a"}, "startedBy", new String[] {"dev"},
        "limit", new String[] {"500"}, "offset", new String[] {"10"}));

    assertThat(query.states()).containsExactlyInAnyOrder(
        LoopState.RUNNING, LoopState.AWAITING_APPROVAL, LoopState.COMPLETED);
    assertThat(query.repository()).isEqualTo("/srv/repos/a");
    assertThat(query.startedBy()).isEqualTo("dev");
    assertThat(query.limit()).isEqualTo(500);
    assertThat(query.offset()).isEqualTo(10);
  }

  @Test
  void shouldRefuseEveryBadParameterNamingItAndTheRule() {
    Map<String, String[]> parameters = new LinkedHashMap<>();
    parameters.put("state", new String[] {"RUNNING,running"});
    parameters.put("repository", new String[] {"relative/path"});
    parameters.put("startedBy", new String[] {"dev; drop"});
    parameters.put("limit", new String[] {"501"});
    parameters.put("offset", new String[] {"x"});
    parameters.put("status", new String[] {"RUNNING"});

    assertThatThrownBy(() -> LoopListQuery.read(parameters))
        .isInstanceOfSatisfying(InvalidInputException.class, e ->
            assertThat(e.errors()).extracting(FieldError::field, FieldError::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("status", "unknown"),
                org.assertj.core.groups.Tuple.tuple("state", "format"),
                org.assertj.core.groups.Tuple.tuple("repository", "path"),
                org.assertj.core.groups.Tuple.tuple("startedBy", "format"),
                org.assertj.core.groups.Tuple.tuple("limit", "range"),
                org.assertj.core.groups.Tuple.tuple("offset", "type")));
  }

  @Test
  void shouldRefuseLimitZeroAndRepeatedSingleParameters() {
    assertThatThrownBy(() -> LoopListQuery.read(Map.of("limit", new String[] {"0"},
        "startedBy", new String[] {"a", "b"})))
        .isInstanceOfSatisfying(InvalidInputException.class, e ->
            assertThat(e.errors()).extracting(FieldError::rule)
                .containsExactlyInAnyOrder("range", "duplicate"));
  }
}
