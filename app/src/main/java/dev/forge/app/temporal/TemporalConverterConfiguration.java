package dev.forge.app.temporal;

import io.temporal.common.converter.DataConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data converter of every Temporal client and worker the starter builds, against the real
 * server and the test server alike: the starter uses the {@code mainDataConverter} bean.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalConverterConfiguration {

  @Bean
  DataConverter mainDataConverter() {
    return StackFreeFailureConverter.dataConverter();
  }
}
