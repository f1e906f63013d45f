package dev.forge.api.security;

import java.util.List;
import java.util.Set;

/** An authenticated caller. */
public record ApiUser(String name, Set<Role> roles, List<String> groups) {

  public ApiUser {
    roles = Set.copyOf(roles);
    groups = List.copyOf(groups);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
