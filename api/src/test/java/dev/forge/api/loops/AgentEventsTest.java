package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.api.loops.AgentEvents.Position;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.audit.StoredAuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentEventsTest {

  @Test
  void shouldReadTheIdsItWrites() {
    assertThat(Position.parse(null)).isEqualTo(Position.START);
    assertThat(Position.parse(" ")).isEqualTo(Position.START);
    assertThat(Position.parse("3002")).isEqualTo(new Position(3002, 0));
    assertThat(Position.parse("3002:17")).isEqualTo(new Position(3002, 17));
    assertThat(new Position(3002, 0).id()).isEqualTo("3002");
    assertThat(new Position(3002, 17).id()).isEqualTo("3002:17");
    assertThat(Position.parse(new Position(5001, 9).id())).isEqualTo(new Position(5001, 9));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "3002:", ":17", "3002:-1", "3002:0", "1:2:3", "1.5",
      "99999999999999999999"})
  void shouldRefuseAnIdItCouldNotHaveSent(String id) {
    assertThatThrownBy(() -> Position.parse(id))
        .isInstanceOfSatisfying(InvalidInputException.class, e ->
            assertThat(e.errors().get(0).field()).isEqualTo("Last-Event-ID"));
  }

  @Test
  void shouldKeepTheAgentsEntriesInTheirOrder() {
    List<StoredAuditEntry> entries = List.of(
        entry(1, "iteration.started", "1"),
        entry(2, "model.call", "POST /v1/messages claude-sonnet-4-5"),
        entry(3, "agent.tool", "bash tests/run.sh"),
        entry(4, "cost.recorded", "iteration 1"),
        entry(5, "egress.denied", "elsewhere.forge.test:443"),
        entry(6, "model.refused", "POST /v1/messages"),
        entry(7, "prompt.flagged", "toolu_1"));

    assertThat(AgentEvents.of(entries)).extracting(StoredAuditEntry::id)
        .containsExactly(2L, 3L, 5L, 6L, 7L);
  }

  @Test
  void shouldSendTheEntryAsTheAuditShowsIt() {
    Map<String, Object> data = AgentEvents.data(entry(3, "agent.tool", "bash tests/run.sh"));

    assertThat(data).containsEntry("entryId", 3L).containsEntry("iteration", 2)
        .containsEntry("actor", "agent").containsEntry("target", "bash tests/run.sh")
        .containsEntry("recordedAt", "2026-12-05T10:00:00Z")
        .containsEntry("detail", Map.of("tool", "Bash"));
  }

  private static StoredAuditEntry entry(long id, String action, String target) {
    return new StoredAuditEntry(id, Instant.parse("2026-12-05T10:00:00Z"), "r" + id, "loop-a",
        "run-1", 2, "agent", action, target, Map.of("tool", "Bash"));
  }
}
