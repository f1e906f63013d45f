package dev.forge.api.security;

import dev.forge.api.identity.Role;
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
 * @param signed whether the handler authenticates the request by an HMAC signature over its body
 *     instead of a token (public to the filter chain, 401 from the handler without a valid one)
 */
public record Endpoint(HttpMethod method, String pattern, Set<Role> roles, String what, String note,
    boolean signed) {

  public Endpoint {
    roles = Set.copyOf(roles);
    if (signed && !roles.isEmpty()) {
      throw new IllegalArgumentException("a signed endpoint takes no token, so it has no roles: " + pattern);
    }
  }

  /** An endpoint authorized by token roles (or public, with no roles). */
  public Endpoint(HttpMethod method, String pattern, Set<Role> roles, String what, String note) {
    this(method, pattern, roles, what, note, false);
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
