package dev.forge.api.security;

import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * One endpoint and who may call it.
 *
 * @param method the HTTP method
 * @param pattern the path, {@code *} standing for one path segment (a loop id, a gate, a token id)
 * @param roles the roles that may call it; empty: public (no token needed)
 * @param what what calling it does, for the 403 that tells a caller which role was missing
 * @param note a further rule the handler enforces (ownership, confirmation), or empty
 */
public record Endpoint(HttpMethod method, String pattern, Set<Role> roles, String what, String note) {

  public Endpoint {
    roles = Set.copyOf(roles);
  }

  public boolean isPublic() {
    return roles.isEmpty();
  }

  /** The roles in their order of declaration, for messages: {@code engineer or approver}. */
  public String roleNames() {
    List<String> names = java.util.Arrays.stream(Role.values()).filter(roles::contains)
        .map(Role::externalName).toList();
    return String.join(" or ", names);
  }
}
