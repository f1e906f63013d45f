package dev.forge.app;

import dev.forge.api.ApiConfiguration;
import dev.forge.audit.AuditConfiguration;
import dev.forge.worker.WorkerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Forge: the REST API and the Temporal worker in one process. With no external Temporal or
 * PostgreSQL configured, it also runs the embedded default (see {@code EmbeddedPlatform}).
 */
@SpringBootApplication
@Import({ApiConfiguration.class, WorkerConfiguration.class, AuditConfiguration.class})
public class ForgeApplication {

  public static void main(String[] args) {
    SpringApplication.run(ForgeApplication.class, args);
  }
}
