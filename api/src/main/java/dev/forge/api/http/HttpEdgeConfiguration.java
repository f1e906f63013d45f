package dev.forge.api.http;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Forge's own edge on Tomcat: the security headers and a problem body on every answer, including
 * the ones Tomcat writes itself.
 */
@Configuration(proxyBeanMethods = false)
class HttpEdgeConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> forgeHttpEdge() {
    return new Edge();
  }

  /** Runs after Spring Boot's own customizers, so that their valves (RemoteIpValve) come first. */
  private static final class Edge
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(context -> {
        // The context is the host's child by now; the host is not started, so it still takes
        // the error report valve by class name, instead of adding Tomcat's own.
        StandardHost host = (StandardHost) context.getParent();
        host.setErrorReportValveClass(ProblemReportValve.class.getName());
        host.getPipeline().addValve(new SecurityHeadersValve());
      });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
