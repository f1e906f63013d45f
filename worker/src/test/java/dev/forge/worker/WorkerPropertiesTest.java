package dev.forge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.activities.workspace.DiskQuotaMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

class WorkerPropertiesTest {

  @Test
  void shouldEnforceDiskQuotasByDefault() throws IOException {
    // when
    WorkerProperties properties = bind("forge:\n  worker:\n    worktrees-dir: /var/forge/wt\n");

    // then
    assertThat(properties.diskQuota()).isEqualTo(DiskQuotaMode.ENFORCE);
    assertThat(properties.worktreesDir()).isEqualTo(Path.of("/var/forge/wt"));
  }

  @Test
  void shouldTurnDiskQuotasOffWithAnUnquotedYamlOff() throws IOException {
    // when: YAML reads an unquoted off as the boolean false
    WorkerProperties off =
        bind("forge:\n  worker:\n    worktrees-dir: /var/forge/wt\n    disk-quota: off\n");
    WorkerProperties enforce =
        bind("forge:\n  worker:\n    worktrees-dir: /var/forge/wt\n    disk-quota: enforce\n");

    // then
    assertThat(off.diskQuota()).isEqualTo(DiskQuotaMode.OFF);
    assertThat(enforce.diskQuota()).isEqualTo(DiskQuotaMode.ENFORCE);
  }

  @Test
  void shouldSweepEveryFiveMinutesAndUseStickyExecutionByDefault() throws IOException {
    WorkerProperties properties = bind("forge:\n  worker:\n    worktrees-dir: /var/forge/wt\n");

    assertThat(properties.reaperPeriod()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(properties.stickyExecution()).isTrue();
  }

  @Test
  void shouldTakeAReaperPeriodOfAtLeastFiveSeconds() throws IOException {
    WorkerProperties fast = bind(
        "forge:\n  worker:\n    worktrees-dir: /wt\n    reaper-period: 5s\n    sticky-execution: false\n");

    assertThat(fast.reaperPeriod()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(fast.stickyExecution()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> bind("forge:\n  worker:\n    worktrees-dir: /wt\n    reaper-period: 1s\n"))
        .rootCause().hasMessageContaining("reaper-period must be at least 5s");
  }

  private static WorkerProperties bind(String yaml) throws IOException {
    PropertySource<?> source =
        new YamlPropertySourceLoader()
            .load("test.yml", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))
            .get(0);
    return new Binder(ConfigurationPropertySources.from(source))
        .bind("forge.worker", WorkerProperties.class)
        .get();
  }
}
