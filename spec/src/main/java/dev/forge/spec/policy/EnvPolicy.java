package dev.forge.spec.policy;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The one rule of which host variables a loop's sandbox may receive, checked by the API when a loop
 * starts and by the sandbox activity before every step: a variable no {@link EnvGrant} lets through
 * is refused, and no grant can let through a variable that holds Forge's own settings or secrets.
 */
public final class EnvPolicy {

  /**
   * Host variables that hold Forge's own settings or credentials, whatever a grant says: Spring
   * reads them as configuration (the database owner's password among them).
   */
  public static final Set<String> FORGE_OWN = Set.of("SPRING_APPLICATION_JSON",
      "SPRING_DATASOURCE_PASSWORD", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_URL",
      "SPRING_FLYWAY_PASSWORD", "SPRING_FLYWAY_USER", "SPRING_FLYWAY_URL", "JAVA_TOOL_OPTIONS",
      "JDK_JAVA_OPTIONS", "MAVEN_OPTS");

  private EnvPolicy() {}

  /**
   * Whether {@code name} is one of Forge's own settings ({@code FORGE_*}): the forge.yml parser
   * refuses to name one at all (rule {@code reserved}); the policy refuses it with the rest of
   * {@link #isForgeOwn}.
   */
  public static boolean isForgeSetting(String name) {
    return name.startsWith("FORGE_");
  }

  /** Whether {@code name} holds Forge's own configuration and may never be granted. */
  public static boolean isForgeOwn(String name) {
    return FORGE_OWN.contains(name) || isForgeSetting(name) || name.startsWith("SPRING_");
  }

  /**
   * The host variables of {@code hostVariables} that no grant lets into a loop on {@code
   * repository} started by {@code user}, in the order given.
   * (The API refuses to start with a grant naming a webhook source's secret variable.)
   */
  public static List<String> refused(Collection<String> hostVariables, List<EnvGrant> grants,
      String repository, String user) {
    return hostVariables.stream()
        .filter(name -> isForgeOwn(name)
            || grants.stream().noneMatch(g -> g.grants(name, repository, user)))
        .distinct()
        .toList();
  }
}
