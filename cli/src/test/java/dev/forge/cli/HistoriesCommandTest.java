package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoriesCommandTest {

  @Test
  void shouldTurnFiltersIntoEncodedQueryParameters() {
    assertThat(HistoriesCommand.query(List.of("state=COMPLETED", "state=REJECTED",
        "repository=/srv/repos/my app", "startedBy=dev")))
        .isEqualTo("&state=COMPLETED&state=REJECTED&repository=%2Fsrv%2Frepos%2Fmy+app"
            + "&startedBy=dev");
    assertThat(HistoriesCommand.query(List.of())).isEmpty();
  }

  @Test
  void shouldRefuseWhatIsNotAKnownFilter() {
    assertThatThrownBy(() -> HistoriesCommand.query(List.of("owner=dev")))
        .isInstanceOf(UsageException.class).hasMessageContaining("'owner=dev' is not a filter");
    assertThatThrownBy(() -> HistoriesCommand.query(List.of("COMPLETED")))
        .isInstanceOf(UsageException.class);
  }
}
