package dev.forge.api.identity;

import java.util.List;
import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param name the user's name: recorded in audit entries, matched against gate approvers and a
 *     loop's starter
 * @param roles what the token may do (besides reading, which every token may)
 * @param groups matched against gate approver lists
 * @param credential which token authenticated the call: {@code config:<name>} for a configured
 *     user, {@code token:<id>} for a token an admin created; keys the per-token rate limit
 */
public record ApiUser(String name, Set<Role> roles, List<String> groups, String credential) {

  public ApiUser {
    roles = Set.copyOf(roles);
    groups = List.copyOf(groups);
  }

  /** A configured user (forge.api.users). */
  public ApiUser(String name, Set<Role> roles, List<String> groups) {
    this(name, roles, groups, "config:" + name);
  }

  /** Whether the token holds the role; every token is a viewer. */
  public boolean has(Role role) {
    return role == Role.VIEWER || roles.contains(role);
  }
}
