package dev.forge.api.http;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Forge's own edge on Tomcat: the security headers and a problem body on every answer, including
 * the ones Tomcat writes itself; and bounds on slow clients and on connections per address
 * ({@link HttpEdgeProperties}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpEdgeProperties.class)
class HttpEdgeConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> forgeHttpEdge(HttpEdgeProperties properties) {
    return new Edge(properties);
  }

  /** Runs after Spring Boot's own customizers, so that their valves (RemoteIpValve) come first. */
  private static final class Edge
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final HttpEdgeProperties properties;

    Edge(HttpEdgeProperties properties) {
      this.properties = properties;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.setProtocol(GuardedHttp11NioProtocol.class.getName());
      factory.addProtocolHandlerCustomizers(protocol -> {
        if (protocol instanceof GuardedHttp11NioProtocol guarded) {
          guarded.bound(properties);
        }
      });
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
