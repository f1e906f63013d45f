package dev.forge.api.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forge.api.identity.Role;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A token as stored, without its secret: what {@code GET /api/tokens} lists.
 *
 * @param state {@code active}, {@code expired} or {@code revoked}, by the database's clock
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredToken(String id, String name, Set<Role> roles, List<String> groups,
    Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy,
    String state) {

  public StoredToken {
    roles = Set.copyOf(roles);
    groups = List.copyOf(groups);
  }

  public boolean active() {
    return "active".equals(state);
  }
}
