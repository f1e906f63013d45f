package dev.forge.app;

import dev.forge.api.ApiConfiguration;
import dev.forge.app.replay.ReplayCommand;
import dev.forge.app.temporal.TemporalConverterConfiguration;
import dev.forge.audit.AuditConfiguration;
import dev.forge.worker.WorkerConfiguration;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Forge: the REST API and the Temporal worker in one process. With no external Temporal or
 * PostgreSQL configured, it also runs the embedded default (see {@code EmbeddedPlatform}).
 */
@SpringBootApplication
@Import({ApiConfiguration.class, WorkerConfiguration.class, AuditConfiguration.class,
    TemporalConverterConfiguration.class})
public class ForgeApplication {

  public static void main(String[] args) {
    if (args.length > 0 && "replay".equals(args[0])) {
      // forge replay: no platform, just this build's workflow code against recorded histories.
      ReplayCommand.quietLogging();
      System.exit(ReplayCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
    }
    SpringApplication.run(ForgeApplication.class, args);
  }
}
