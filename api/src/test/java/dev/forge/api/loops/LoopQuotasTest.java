package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.api.policy.HostResources;
import dev.forge.api.policy.PolicyProperties;
import dev.forge.api.problems.ApiException;
import dev.forge.audit.LoopIndex;
import dev.forge.audit.LoopRecord;
import dev.forge.workflows.loop.LoopRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class LoopQuotasTest {

  private static final long GIB = 1L << 30;

  private final LoopIndex index = mock(LoopIndex.class);
  private final Loops loops = mock(Loops.class);

  @BeforeEach
  void threeOpenLoopsOfWhichOneHasEnded() {
    // alice's two loops run; bob's has ended though no end entry was written; carol's is unknown
    when(index.list(any(), anyInt(), anyInt())).thenReturn(new LoopIndex.Page(List.of(
        open("loop-a1", "alice"), open("loop-a2", "alice"), open("loop-b1", "bob"),
        open("loop-c1", "carol")), 4));
    when(loops.closed("loop-a1")).thenReturn(false);
    when(loops.closed("loop-a2")).thenReturn(false);
    when(loops.closed("loop-b1")).thenReturn(true);
    when(loops.closed("loop-c1")).thenThrow(ApiException.notFound("there is no loop loop-c1"));
  }

  @Test
  void shouldCountOnlyLoopsWhoseWorkflowStillRuns() {
    LoopQuotas quotas = quotas(new PolicyProperties.Quotas(2, 3, null, null, null), null);

    assertThatCode(() -> quotas.check(request("bob", 10 * GIB))).doesNotThrowAnyException();
    ApiException alice = catchThrowableOfType(ApiException.class,
        () -> quotas.check(request("alice", 10 * GIB)));
    assertThat(alice.status()).isEqualTo(429);
    assertThat(alice.getMessage()).contains("alice already runs 2 loops");
  }

  @Test
  void shouldRefuseAnyoneOnceTheTotalIsReachedAndHonourPerUserOverrides() {
    PolicyProperties.Quotas twoInAll = new PolicyProperties.Quotas(5, 2, null, null, null);
    PolicyProperties.Quotas aliceMayRunThree = new PolicyProperties.Quotas(1, 10,
        Map.of("alice", 3), null, null);

    ApiException total = catchThrowableOfType(ApiException.class,
        () -> quotas(twoInAll, null).check(request("bob", 0)));
    assertThatCode(() -> quotas(aliceMayRunThree, null).check(request("alice", 0)))
        .doesNotThrowAnyException();

    assertThat(total.status()).isEqualTo(429);
    assertThat(total.getMessage()).contains("loops-total is 2");
  }

  @Test
  void shouldRefuseADiskQuotaThatDoesNotFitWhatImagesHaveNotYetWritten() {
    // 20g free, running images may still write 12g, margin 1g: 7g fits, 8g does not
    HostResources.Disk disk = new HostResources.Disk(20 * GIB, 12 * GIB);
    PolicyProperties.Quotas strict = new PolicyProperties.Quotas(10, 10, null,
        DataSize.ofGigabytes(1), null);
    PolicyProperties.Quotas overcommitted = new PolicyProperties.Quotas(10, 10, null,
        DataSize.ofGigabytes(1), new BigDecimal(2));

    assertThatCode(() -> quotas(strict, disk).check(request("bob", 7 * GIB)))
        .doesNotThrowAnyException();
    ApiException full = catchThrowableOfType(ApiException.class,
        () -> quotas(strict, disk).check(request("bob", 8 * GIB)));
    assertThatCode(() -> quotas(overcommitted, disk).check(request("bob", 8 * GIB)))
        .doesNotThrowAnyException();

    assertThat(full.status()).isEqualTo(409);
    assertThat(full.getMessage()).contains("20g free").contains("12g").contains("8g");
  }

  private LoopQuotas quotas(PolicyProperties.Quotas quotas, HostResources.Disk disk) {
    HostResources host = new HostResources() {
      @Override
      public int cpus() {
        return 2;
      }

      @Override
      public long memoryBytes() {
        return 8 * GIB;
      }

      @Override
      public Disk worktreeDisk() {
        return disk;
      }
    };
    return new LoopQuotas(quotas, index, loops, Optional.of(host));
  }

  private static LoopRequest request(String user, long diskBytes) {
    String yaml = """
        version: 1
        loop:
          agent: {command: [agent, "{prompt}"]}
          cost_cap_usd: 1
        sandbox:
          image: forge/sandbox:0.1.0-bookworm
        """ + (diskBytes > 0 ? "  limits: {disk: " + (diskBytes / GIB) + "g}\n" : "  limits: {disk: 64m}\n");
    return new LoopRequest("loop-new0000001", "/srv/repos/r", "goal", user,
        new ForgeConfigParser().parseYaml(yaml).config());
  }

  private static LoopRecord open(String loopId, String user) {
    return new LoopRecord(loopId, user, "/srv/repos/r", Instant.EPOCH, null, null, null,
        BigDecimal.ZERO, null);
  }
}
