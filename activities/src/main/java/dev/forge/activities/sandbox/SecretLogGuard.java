package dev.forge.activities.sandbox;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * docker-java logs every command at DEBUG with its fields (a container's environment, so its
 * credentials, included), and Apache HttpClient's wire log prints request bodies. While either is
 * on, credentials must not be handed to Docker.
 */
final class SecretLogGuard {

  static final List<String> LOGGERS =
      List.of("com.github.dockerjava.core.command.AbstrDockerCmd", "org.apache.hc.client5.http.wire");

  private SecretLogGuard() {}

  static boolean dockerRequestsAreLogged() {
    return LOGGERS.stream().anyMatch(name -> LoggerFactory.getLogger(name).isDebugEnabled());
  }

  static String describe() {
    return String.join(" and ", LOGGERS);
  }
}
