package dev.forge.app.embedded;

import dev.forge.audit.AuditConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default: before the application context starts, starts what is not configured —
 * an in-process Temporal test server on 127.0.0.1 unless {@code spring.temporal.connection.target}
 * is set, an embedded PostgreSQL under {@code <data-dir>/postgres} unless {@code
 * spring.datasource.url} is set (migrations run as its superuser, the application connects as the
 * role {@code forge_app} with a generated password in {@code <data-dir>/secrets}), and three API
 * users unless {@code forge.api.users} is set. Pointing
 * Forge at real services is therefore configuration only. Everything started here stops with the
 * application.
 */
public class EmbeddedPlatform implements EnvironmentPostProcessor {

  private static final Logger shutdownLog = LoggerFactory.getLogger(EmbeddedPlatform.class);
  private static final AtomicInteger EPHEMERAL_CLUSTERS = new AtomicInteger();

  /** Logging is not set up yet while the environment is prepared: this log is replayed later. */
  private final Log log;

  public EmbeddedPlatform(DeferredLogFactory logFactory) {
    this.log = logFactory.getLog(EmbeddedPlatform.class);
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (!env.getProperty("forge.embedded.enabled", Boolean.class, false)) {
      return;
    }
    Path dataDir = Path.of(env.getRequiredProperty("forge.data-dir")).toAbsolutePath().normalize();
    boolean ephemeral = env.getProperty("forge.embedded.ephemeral", Boolean.class, false);
    Map<String, Object> properties = new LinkedHashMap<>();
    List<AutoCloseable> started = new ArrayList<>();
    // After every context has closed (so the worker and the connection pool stop first), or at
    // once when the application fails to start.
    SpringApplication.getShutdownHandlers().add(() -> closeAll(started));
    application.addListeners(new StopOnFailure(started));

    if (!env.containsProperty("spring.temporal.connection.target")) {
      int port = env.getProperty("forge.embedded.temporal-port", Integer.class, 7233);
      EmbeddedTemporal temporal = EmbeddedTemporal.start(port);
      started.add(temporal);
      properties.put("spring.temporal.connection.target", temporal.target());
      log.info("embedded Temporal test server on " + temporal.target()
          + " (its state is in memory: a restart forgets every loop)");
    }
    if (!env.containsProperty("spring.datasource.url")) {
      // Tests start one application context per configuration, each with its own cluster.
      Path pgData = dataDir.resolve(ephemeral
          ? "postgres-" + ProcessHandle.current().pid() + "-" + EPHEMERAL_CLUSTERS.incrementAndGet()
          : "postgres");
      int pgPort = env.getProperty("forge.embedded.postgres-port", Integer.class, 0);
      EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(pgData, ephemeral, pgPort, log);
      started.add(postgres);
      // Two roles: migrations run as the superuser (trusted on loopback), the application as
      // its own role with a generated password (scram-sha-256), which V2 creates and limits to
      // reading and appending.
      String appRole = appRole(env);
      Path passwordFile = dataDir.resolve("secrets").resolve("postgres-" + appRole + ".password");
      String password = BootstrapUsers.ensureSecret(passwordFile);
      postgres.syncPassword(appRole, password);
      properties.put("spring.datasource.url", postgres.jdbcUrl());
      properties.put("spring.datasource.username", appRole);
      properties.put("spring.datasource.password", password);
      properties.put("spring.flyway.user", EmbeddedPostgresServer.SUPERUSER);
      properties.put("spring.flyway.password", "");
      properties.put("spring.flyway.placeholders.appRole", appRole);
      properties.put("spring.flyway.placeholders.appPassword", password);
      log.info("embedded PostgreSQL on " + postgres.jdbcUrl() + " with its data in " + pgData
          + "; migrations run as "
          + EmbeddedPostgresServer.SUPERUSER + ", the application connects as " + appRole
          + " (password in " + passwordFile + ")");
    }
    if (!env.containsProperty("forge.api.users[0].name")) {
      Path secrets = dataDir.resolve("secrets");
      BootstrapUsers.addTo(properties, secrets);
      log.info("API users dev (engineer), lead (approver) and admin (admin); their tokens are in "
          + secrets);
    }
    env.getPropertySources().addFirst(new MapPropertySource("forgeEmbedded", properties));
  }

  /** {@code spring.flyway.placeholders.appRole}, in any case, or {@code forge_app}. */
  static String appRole(ConfigurableEnvironment env) {
    Map<String, String> placeholders = Binder.get(env)
        .bind("spring.flyway.placeholders", Bindable.mapOf(String.class, String.class))
        .orElse(Map.of());
    return placeholders.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("appRole") && !e.getValue().isBlank())
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(AuditConfiguration.DEFAULT_APP_ROLE);
  }

  private static synchronized void closeAll(List<AutoCloseable> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        shutdownLog.warn("stopping {} failed", started.get(i).getClass().getSimpleName(), e);
      }
    }
    started.clear();
  }

  /** Stops the embedded services when the application fails to start. */
  private record StopOnFailure(List<AutoCloseable> started)
      implements ApplicationListener<ApplicationFailedEvent> {

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
      closeAll(started);
    }
  }
}
