package dev.forge.api;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code forge.api.*}: who may call the API, and which repositories loops may work on.
 *
 * @param users API users; each authenticates with a bearer token whose SHA-256 is configured
 * @param allowedRoots directories under which a loop's repository must lie (after resolving
 *     symlinks); a repository anywhere else is refused
 */
@ConfigurationProperties("forge.api")
public record ApiProperties(List<User> users, List<String> allowedRoots) {

  public ApiProperties {
    users = users == null ? List.of() : List.copyOf(users);
    allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
  }

  /**
   * One API user.
   *
   * @param name the user's name, as recorded in audit entries and matched against gate approvers
   * @param roles {@code engineer} (start, inspect and cancel own loops) and/or {@code approver}
   *     (decide gates, cancel any loop)
   * @param groups groups matched against gate approver lists
   * @param tokenSha256 hex SHA-256 of the user's bearer token; the token itself is never stored
   */
  public record User(String name, List<String> roles, List<String> groups, String tokenSha256) {

    public User {
      roles = roles == null ? List.of() : List.copyOf(roles);
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }
}
