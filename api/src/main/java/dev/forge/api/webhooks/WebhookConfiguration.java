package dev.forge.api.webhooks;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Signed webhooks: their sources, secrets and remembered deliveries. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
class WebhookConfiguration {

  @Bean
  WebhookSecrets webhookSecrets() {
    return new WebhookSecrets(System::getenv);
  }

  @Bean
  WebhookDeliveries webhookDeliveries(JdbcClient jdbc) {
    return new WebhookDeliveries(jdbc, Clock.systemUTC());
  }
}
