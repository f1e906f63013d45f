package dev.forge.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit log and cost ledger as beans, for the API and the worker, and audit retention. */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

  /** {@code forge.audit.retention} when it is not set. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(365);

  /** The application's database role when {@code spring.flyway.placeholders.appRole} is not set. */
  public static final String DEFAULT_APP_ROLE = "forge_app";

  /**
   * Defaults for the placeholders of migration V2 that are not configured: {@code appRole} (the
   * application's database role, {@value #DEFAULT_APP_ROLE}) and {@code appPassword} (its
   * password when the migration creates it; empty: none). Flyway matches placeholder names
   * ignoring case, so {@code SPRING_FLYWAY_PLACEHOLDERS_APPROLE} sets {@code appRole}.
   */
  @Bean
  FlywayConfigurationCustomizer forgeAuditPlaceholders() {
    return configuration -> {
      Map<String, String> placeholders = new LinkedHashMap<>(configuration.getPlaceholders());
      putIfAbsentIgnoringCase(placeholders, "appRole", DEFAULT_APP_ROLE);
      putIfAbsentIgnoringCase(placeholders, "appPassword", "");
      configuration.placeholders(placeholders);
    };
  }

  private static void putIfAbsentIgnoringCase(Map<String, String> map, String key, String value) {
    if (map.keySet().stream().noneMatch(key::equalsIgnoreCase)) {
      map.put(key, value);
    }
  }

  @Bean
  AuditLog auditLog(JdbcClient jdbc) {
    return new JdbcAuditLog(jdbc, new ObjectMapper());
  }

  @Bean
  LoopIndex loopIndex(JdbcClient jdbc) {
    return new LoopIndex(jdbc);
  }

  @Bean
  CostLedger costLedger(JdbcClient jdbc) {
    return new CostLedger(jdbc);
  }

  @Bean
  ModelCallLedger modelCallLedger(JdbcClient jdbc) {
    return new ModelCallLedger(jdbc);
  }

  /** {@code forge.audit.retention}: a duration ({@code 365d}, default), {@code 0} for ever. */
  @Bean
  AuditRetention auditRetention(JdbcClient jdbc, Environment env) {
    Duration retention = Binder.get(env).bind("forge.audit.retention", Duration.class)
        .orElse(DEFAULT_RETENTION);
    return new AuditRetention(jdbc, retention, Clock.systemUTC(), Duration.ofDays(1));
  }
}
