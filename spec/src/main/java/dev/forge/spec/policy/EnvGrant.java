package dev.forge.spec.policy;

import java.util.List;

/**
 * One entry of the operator's allowlist of host variables ({@code forge.policy.env-grants}): the
 * host variables in {@code env} may be mapped into the sandboxes of loops on one of {@code
 * repositories} started by one of {@code users}. An empty {@code repositories} or {@code users}
 * means any. A forge.yml only asks for a variable; a grant is what lets it through.
 *
 * @param env host variable names, exactly as the worker's environment spells them
 * @param repositories absolute repository paths; one ending in {@code /**} covers every repository
 *     below that directory
 * @param users API user names
 */
public record EnvGrant(List<String> env, List<String> repositories, List<String> users) {

  public EnvGrant {
    env = env == null ? List.of() : List.copyOf(env);
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
    users = users == null ? List.of() : List.copyOf(users);
  }

  /** Whether this grant lets {@code hostVariable} into a loop on {@code repository} by {@code user}. */
  public boolean grants(String hostVariable, String repository, String user) {
    return env.contains(hostVariable)
        && (users.isEmpty() || users.contains(user))
        && (repositories.isEmpty() || repositories.stream().anyMatch(r -> covers(r, repository)));
  }

  static boolean covers(String pattern, String repository) {
    if (repository == null) {
      return false;
    }
    if (pattern.endsWith("/**")) {
      String base = pattern.substring(0, pattern.length() - 3);
      return repository.startsWith(base + "/");
    }
    return pattern.equals(repository);
  }
}
