package dev.forge.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureLockoutTest {

  private final MutableClock clock = new MutableClock();
  private final FailureLockout lockout =
      new FailureLockout(3, Duration.ofMinutes(5), Duration.ofMinutes(15), clock, 100);

  @Test
  void shouldLockAnAddressOutAtTheThirdFailureWithinTheWindow() {
    assertThat(lockout.recordFailure("10.0.0.1")).isFalse();
    assertThat(lockout.recordFailure("10.0.0.1")).isFalse();
    assertThat(lockout.lockedFor("10.0.0.1")).isZero();

    assertThat(lockout.recordFailure("10.0.0.1")).isTrue();

    assertThat(lockout.lockedFor("10.0.0.1")).isEqualTo(Duration.ofMinutes(15));
    assertThat(lockout.lockedFor("10.0.0.2")).isZero();
  }

  @Test
  void shouldLiftTheLockoutWhenItsTimeIsUp() {
    for (int i = 0; i < 3; i++) {
      lockout.recordFailure("a");
    }
    clock.advance(Duration.ofMinutes(14));
    assertThat(lockout.lockedFor("a")).isEqualTo(Duration.ofMinutes(1));

    clock.advance(Duration.ofMinutes(1));

    assertThat(lockout.lockedFor("a")).isZero();
    assertThat(lockout.recordFailure("a")).as("counting starts again").isFalse();
  }

  @Test
  void shouldForgetFailuresOlderThanTheWindow() {
    lockout.recordFailure("a");
    lockout.recordFailure("a");
    clock.advance(Duration.ofMinutes(6));

    assertThat(lockout.recordFailure("a")).isFalse();
    assertThat(lockout.recordFailure("a")).isFalse();
    assertThat(lockout.lockedFor("a")).isZero();
    assertThat(lockout.recordFailure("a")).isTrue();
  }

  @Test
  void shouldNotExtendALockoutWithFailuresDuringIt() {
    for (int i = 0; i < 3; i++) {
      lockout.recordFailure("a");
    }
    clock.advance(Duration.ofMinutes(10));

    assertThat(lockout.recordFailure("a")).isFalse();

    assertThat(lockout.lockedFor("a")).isEqualTo(Duration.ofMinutes(5));
  }
}
