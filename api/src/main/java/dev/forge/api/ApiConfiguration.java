package dev.forge.api;

import dev.forge.api.loops.LoopEventStreams;
import dev.forge.api.loops.Loops;
import dev.forge.api.policy.HostResources;
import dev.forge.api.policy.LoopPolicy;
import dev.forge.api.policy.PolicyProperties;
import dev.forge.api.problems.DuplicateKeys;
import dev.forge.api.webhooks.WebhookProperties;
import dev.forge.audit.AuditLog;
import dev.forge.spec.config.ForgeConfigParser;
import io.temporal.client.WorkflowClient;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The REST API: controllers, security, and the gateway to Temporal. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, PolicyProperties.class})
@ComponentScan
public class ApiConfiguration {

  @Bean
  Loops loops(WorkflowClient client) {
    return new Loops(client);
  }

  @Bean
  LoopEventStreams loopEventStreams(Loops loops, AuditLog audit) {
    return new LoopEventStreams(loops, audit);
  }

  /** Every JSON body is read with the mapper Spring MVC uses: a key given twice is refused. */
  @Bean
  JsonMapperBuilderCustomizer strictDuplicateKeys() {
    return DuplicateKeys::strict;
  }

  @Bean
  ForgeConfigParser forgeConfigParser() {
    return new ForgeConfigParser();
  }

  /** The operator's policy; refuses to start with a grant of a webhook source's secret variable. */
  @Bean
  LoopPolicy loopPolicy(PolicyProperties policy, WebhookProperties webhooks,
      ObjectProvider<HostResources> host) {
    return new LoopPolicy(policy,
        webhooks.sources().values().stream().map(WebhookProperties.Source::secretEnv)
            .filter(Objects::nonNull).collect(Collectors.toSet()),
        Optional.ofNullable(host.getIfAvailable()));
  }
}
