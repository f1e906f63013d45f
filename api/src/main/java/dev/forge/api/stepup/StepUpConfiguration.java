package dev.forge.api.stepup;

import dev.forge.api.security.FailureLockout;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Step-up authentication: enrolments in PostgreSQL, their secrets sealed with the key in {@code
 * forge.totp.key-file} (default {@code <data-dir>/secrets/totp.key}), and a per-user lockout after
 * {@code forge.totp.max-failures} wrong codes within {@code forge.totp.window}, for {@code
 * forge.totp.lockout}.
 */
@Configuration(proxyBeanMethods = false)
class StepUpConfiguration {

  /** Tracked users at most, for the lockout. */
  private static final int MAX_TRACKED = 10_000;

  @Bean
  StepUp stepUp(JdbcClient jdbc,
      @Value("${forge.totp.key-file:${forge.data-dir:.forge}/secrets/totp.key}") Path keyFile,
      @Value("${forge.totp.max-failures:5}") int maxFailures,
      @Value("${forge.totp.window:15m}") Duration window,
      @Value("${forge.totp.lockout:15m}") Duration lockout) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("forge.totp.max-failures must be at least 1");
    }
    Clock clock = Clock.systemUTC();
    return new StepUp(new TotpEnrolments(jdbc), SecretBox.fromKeyFile(keyFile.toAbsolutePath()),
        new FailureLockout(maxFailures, window, lockout, clock, MAX_TRACKED), clock);
  }
}
