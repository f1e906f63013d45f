package dev.forge.spec.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.spec.RuleException;
import org.junit.jupiter.api.Test;

class SandboxLimitRulesTest {

  private static final SandboxLimits D = SandboxLimitRules.DEFAULTS;

  @Test
  void shouldAcceptTheDefaultsAndAnOldHistoryWithoutADiskQuota() {
    assertThatCode(() -> SandboxLimitRules.check(D)).doesNotThrowAnyException();
    assertThatCode(() -> SandboxLimitRules.check(new SandboxLimits(D.memoryBytes(), D.nanoCpus(),
        D.pids(), D.timeoutSeconds(), D.tmpfsBytes(), D.outputBytes(), 0)))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseALimitBelowTheFloorTheParserUsesNamingIt() {
    SandboxLimits tooLittleMemory = new SandboxLimits(8L << 20, D.nanoCpus(), D.pids(),
        D.timeoutSeconds(), D.tmpfsBytes(), D.outputBytes(), D.diskBytes());
    assertThatThrownBy(() -> SandboxLimitRules.check(tooLittleMemory))
        .isInstanceOf(RuleException.class).hasMessageContaining("memory")
        .hasMessageContaining(Long.toString(SandboxLimitRules.MEMORY.min()));
    SandboxLimits unlimitedTime = new SandboxLimits(D.memoryBytes(), D.nanoCpus(), D.pids(), 0,
        D.tmpfsBytes(), D.outputBytes(), D.diskBytes());
    assertThatThrownBy(() -> SandboxLimitRules.check(unlimitedTime))
        .hasMessageContaining("timeout").hasMessageContaining("unlimited");
  }

  @Test
  void shouldListEveryLimitKeyOnce() {
    assertThat(SandboxLimitRules.ALL).extracting(SandboxLimitRules.Bound::key)
        .containsExactly("memory", "cpu", "pids", "timeout", "tmpfs", "output", "disk");
  }
}
