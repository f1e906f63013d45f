package dev.forge.api;

import dev.forge.api.config.ForgeConfigParser;
import dev.forge.api.loops.LoopEventStreams;
import dev.forge.api.loops.Loops;
import dev.forge.api.problems.DuplicateKeys;
import io.temporal.client.WorkflowClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The REST API: controllers, security, and the gateway to Temporal. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
@ComponentScan
public class ApiConfiguration {

  @Bean
  Loops loops(WorkflowClient client) {
    return new Loops(client);
  }

  @Bean
  LoopEventStreams loopEventStreams(Loops loops) {
    return new LoopEventStreams(loops);
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
}
