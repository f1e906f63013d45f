package dev.forge.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final MutableClock clock = new MutableClock();
  private final RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), clock, 100);

  @Test
  void shouldAllowABurstOfTheCapacityThenSayHowLongToWait() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take("a")).isZero();
    }

    // 3 per minute: one request comes back every 20 s
    assertThat(limiter.take("a")).isEqualTo(Duration.ofSeconds(20));
    clock.advance(Duration.ofSeconds(15));
    assertThat(limiter.take("a")).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldRefillEvenlyAndNeverAboveTheCapacity() {
    for (int i = 0; i < 3; i++) {
      limiter.take("a");
    }
    clock.advance(Duration.ofSeconds(20));
    assertThat(limiter.take("a")).isZero();
    assertThat(limiter.take("a")).isPositive();

    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take("a")).isZero();
    }
    assertThat(limiter.take("a")).isPositive();
  }

  @Test
  void shouldKeepEachKeysBucketApart() {
    for (int i = 0; i < 3; i++) {
      limiter.take("a");
    }

    assertThat(limiter.take("a")).isPositive();
    assertThat(limiter.take("b")).isZero();
  }

  @Test
  void shouldForgetIdleKeysWhenItTracksTooMany() {
    RateLimiter small = new RateLimiter(2, Duration.ofMinutes(1), clock, 3);
    small.take("busy");
    small.take("busy");
    small.take("idle-1");
    small.take("idle-2");
    clock.advance(Duration.ofSeconds(31)); // the idle ones are full again, "busy" is not

    small.take("new");

    assertThat(small.keys()).isEqualTo(2); // "busy" and "new"
    assertThat(small.take("busy")).isZero();
    assertThat(small.take("busy")).isPositive();
  }
}
