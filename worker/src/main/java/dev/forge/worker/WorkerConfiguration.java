package dev.forge.worker;

import com.github.dockerjava.api.DockerClient;
import dev.forge.activities.SandboxUser;
import dev.forge.activities.audit.LedgerAuditActivities;
import dev.forge.activities.sandbox.DockerClients;
import dev.forge.activities.sandbox.DockerSandboxActivities;
import dev.forge.activities.sandbox.SandboxReaper;
import dev.forge.activities.sandbox.SandboxSettings;
import dev.forge.activities.sandbox.StepPolicy;
import dev.forge.activities.sandbox.egress.EgressProxies;
import dev.forge.activities.sandbox.gateway.ModelGateways;
import dev.forge.activities.workspace.GitWorkspaceActivities;
import dev.forge.activities.workspace.WorkspaceSettings;
import dev.forge.audit.AuditLog;
import dev.forge.audit.CostLedger;
import dev.forge.audit.LoopIndex;
import dev.forge.audit.ModelCallLedger;
import dev.forge.spec.policy.EnvGrant;
import io.temporal.client.WorkflowClient;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The worker's activity beans. The temporal-spring-boot-starter registers them, with {@code
 * LoopWorkflowImpl}, on the {@code forge-loops} task queue from {@code spring.temporal.workers} in
 * application.yml (the workflow module stays free of Spring annotations, so it is named there
 * rather than discovered).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerConfiguration {

  /**
   * Heartbeats reach the server at most this far apart, and a cancelled loop's running step learns
   * of its cancellation from a heartbeat's answer: so this bounds how long a cancelled container
   * keeps running. Temporal's default (80% of the heartbeat timeout) would be 24 s here.
   */
  @Bean
  TemporalOptionsCustomizer<WorkerOptions.Builder> heartbeatThrottle(WorkerProperties properties) {
    return options -> {
      options.setMaxHeartbeatThrottleInterval(properties.heartbeatInterval());
      if (!properties.stickyExecution()) {
        // A zero timeout makes the SDK ask for no sticky queue: every workflow task and query goes
        // to the shared task queue, which any worker polls.
        options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
      }
      return options;
    };
  }

  @Bean
  SandboxUser sandboxUser() {
    return SandboxUser.detect();
  }

  @Bean(destroyMethod = "close")
  DockerClient dockerClient(WorkerProperties properties) {
    return DockerClients.connect(properties.dockerHost());
  }

  /**
   * The operator's grants of host variables ({@code forge.policy.env-grants}, the same setting the
   * API checks at start), applied again before every step against the loop's recorded start.
   */
  @Bean
  StepPolicy stepPolicy(Environment environment, LoopIndex index) {
    List<EnvGrant> grants = Binder.get(environment)
        .bind("forge.policy.env-grants", Bindable.listOf(EnvGrant.class))
        .orElse(List.of());
    return StepPolicy.envGrants(grants, loopId -> index.start(loopId)
        .map(start -> new StepPolicy.Owner(start.startedBy(), start.repository())));
  }

  /** The model gateway, started on the first step that needs it ({@code forge.worker.gateway}). */
  @Bean(destroyMethod = "close")
  ModelGateways modelGateways(WorkerProperties properties, ModelCallLedger ledger,
      AuditLog audit) {
    return new ModelGateways(properties.gateway().settings(), ledger, audit, System::getenv,
        Clock.systemUTC());
  }

  @Bean
  DockerSandboxActivities sandboxActivities(DockerClient docker, SandboxUser user,
      AuditLog audit, WorkerProperties properties, StepPolicy policy, ModelGateways gateways) {
    SandboxSettings settings =
        SandboxSettings.defaults(user).withHeartbeatInterval(properties.heartbeatInterval());
    return new DockerSandboxActivities(
        docker,
        settings,
        new EgressProxies(docker, properties.egress().settings()),
        properties.gateway().enabled() ? gateways : null,
        audit,
        System::getenv,
        policy);
  }

  @Bean
  GitWorkspaceActivities workspaceActivities(
      SandboxUser user, AuditLog audit, WorkerProperties properties) {
    return new GitWorkspaceActivities(
        new WorkspaceSettings(
            properties.worktreesDir(), user, properties.gitTimeout(), null, properties.diskQuota()),
        audit);
  }

  /** Only in a process that runs the worker ({@code spring.temporal.start-workers} not false). */
  @Bean
  @ConditionalOnProperty(prefix = "spring.temporal", name = "start-workers", matchIfMissing = true)
  OrphanSandboxes orphanSandboxes(DockerClient docker, GitWorkspaceActivities workspaces,
      WorkflowClient client, AuditLog audit, WorkerProperties properties) {
    return new OrphanSandboxes(
        new SandboxReaper(docker), workspaces, client, audit, properties.reaperPeriod());
  }

  /** Only in a process that runs the worker: it takes over what a dead one left started. */
  @Bean
  @ConditionalOnProperty(prefix = "spring.temporal", name = "start-workers", matchIfMissing = true)
  DeadWorkerAttempts deadWorkerAttempts(WorkflowClient client, DockerClient docker) {
    SandboxReaper reaper = new SandboxReaper(docker);
    // Every other loop counts as active: only this loop's objects (and what any sweep removes).
    return new DeadWorkerAttempts(client,
        loopId -> reaper.removeOrphans(other -> !other.equals(loopId)));
  }

  @Bean
  LedgerAuditActivities auditActivities(AuditLog audit, CostLedger ledger) {
    return new LedgerAuditActivities(audit, ledger);
  }
}
