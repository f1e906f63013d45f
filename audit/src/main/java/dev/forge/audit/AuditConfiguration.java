package dev.forge.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit log and cost ledger as beans, for the API and the worker. */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

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
}
