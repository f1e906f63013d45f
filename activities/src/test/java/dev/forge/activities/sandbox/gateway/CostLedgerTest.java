package dev.forge.activities.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.activities.sandbox.usage.PriceTable.Price;
import dev.forge.activities.sandbox.usage.PriceTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CostLedgerTest {

  private static final Price SONNET = PriceTable.pinned().price("claude-sonnet-4-5").orElseThrow();

  @Test
  void shouldKeepTheRequestedLimitWhenItFits() {
    CostLedger ledger = new CostLedger(new BigDecimal("10"));
    CostLedger.Reservation r =
        ledger.reserve(1000, SONNET, OptionalLong.of(4096), 32000, 1).orElseThrow();
    // (1000 + 1024) * 3.75 / 1e6 + 4096 * 15 / 1e6
    assertThat(r.maxOutput()).isEqualTo(4096);
    assertThat(r.amount()).isEqualByComparingTo("0.06903");
    assertThat(ledger.reserved()).isEqualByComparingTo("0.06903");
  }

  @Test
  void shouldLowerTheLimitToWhatFits() {
    CostLedger ledger = new CostLedger(new BigDecimal("0.01"));
    CostLedger.Reservation r =
        ledger.reserve(976, SONNET, OptionalLong.of(4096), 32000, 1).orElseThrow();
    // input 2000 * 3.75e-6 = 0.0075; 0.0025 left / 15e-6 = 166 tokens
    assertThat(r.maxOutput()).isEqualTo(166);
    assertThat(r.amount()).isLessThanOrEqualTo(new BigDecimal("0.01"));
  }

  @Test
  void shouldRefuseWhenNotOneTokenFits() {
    CostLedger ledger = new CostLedger(new BigDecimal("0.0075"));
    assertThat(ledger.reserve(976, SONNET, OptionalLong.empty(), 32000, 1)).isEmpty();
    assertThat(ledger.reserved()).isZero();
  }

  @Test
  void shouldMultiplyTheOutputByTheChoices() {
    CostLedger ledger = new CostLedger(new BigDecimal("10"));
    CostLedger.Reservation one =
        ledger.reserve(0, SONNET, OptionalLong.of(1000), 32000, 1).orElseThrow();
    CostLedger.Reservation three =
        ledger.reserve(0, SONNET, OptionalLong.of(1000), 32000, 3).orElseThrow();
    assertThat(three.amount().subtract(one.amount())).isEqualByComparingTo("0.03");
  }

  @Test
  void shouldChargeAtMostTheReservationAndReleaseIt() {
    CostLedger ledger = new CostLedger(new BigDecimal("1"));
    CostLedger.Reservation r =
        ledger.reserve(0, SONNET, OptionalLong.of(1000), 32000, 1).orElseThrow();
    assertThat(ledger.settle(r, new BigDecimal("5"))).isEqualByComparingTo(r.amount());
    assertThat(ledger.reserved()).isZero();
    assertThat(ledger.spent()).isEqualByComparingTo(r.amount());
    assertThat(ledger.calls()).isEqualTo(1);
  }

  @Test
  void shouldNeverSpendMoreThanTheBudgetUnderConcurrency() throws Exception {
    BigDecimal budget = new BigDecimal("0.5");
    CostLedger ledger = new CostLedger(budget);
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        futures.add(pool.submit(() -> ledger.reserve(5000, SONNET, OptionalLong.of(8000), 32000, 1)
            .ifPresent(r -> {
              assertThat(ledger.spent().add(ledger.reserved())).isLessThanOrEqualTo(budget);
              ledger.settle(r, r.amount()); // every call uses its whole worst case
            })));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ledger.spent()).isLessThanOrEqualTo(budget).isPositive();
    assertThat(ledger.reserved()).isZero();
    assertThat(ledger.reserve(5000, SONNET, OptionalLong.empty(), 32000, 1)).isEmpty();
  }
}
