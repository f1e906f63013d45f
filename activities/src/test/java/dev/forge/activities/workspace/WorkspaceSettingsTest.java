package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.activities.SandboxUser;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkspaceSettingsTest {

  private static final SandboxUser USER = new SandboxUser(1000, 1000, true);

  @Test
  void shouldDefaultTimeoutExecutableAndDiskQuotaMode() {
    // when
    WorkspaceSettings settings = new WorkspaceSettings(Path.of("/var/lib/forge/worktrees"), USER);

    // then
    assertThat(settings.gitTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.gitExecutable()).isEqualTo("git");
    assertThat(settings.diskQuota()).isEqualTo(DiskQuotaMode.ENFORCE);
  }

  @Test
  void shouldRejectRelativeRootAndNonPositiveTimeout() {
    assertThatThrownBy(() -> new WorkspaceSettings(Path.of("worktrees"), USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> new WorkspaceSettings(Path.of("/w"), USER, Duration.ZERO, "git"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
