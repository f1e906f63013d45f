package dev.forge.api.tokens;

import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.ApiUsers;
import java.util.Set;
import java.util.TreeSet;

/**
 * The user and group names Forge knows: configured users ({@code forge.api.users}) and every
 * token an admin created. Token creation keeps the two apart (a new user may not be named like a
 * group, nor a new group like a user), and a loop's gates may not name a bare approver that is
 * both; so {@code team-lead} in an approver list cannot mean a user to one reader and a group to
 * another.
 */
public final class KnownNames {

  /** Names read at one moment. */
  public record Names(Set<String> users, Set<String> groups) {

    public Names {
      users = Set.copyOf(users);
      groups = Set.copyOf(groups);
    }
  }

  private final ApiUsers configured;
  private final ApiTokens tokens;

  public KnownNames(ApiUsers configured, ApiTokens tokens) {
    this.configured = configured;
    this.tokens = tokens;
  }

  /** The names now: read from the database each time, so a token created a moment ago counts. */
  public Names now() {
    Names fromTokens = tokens.names();
    Set<String> users = new TreeSet<>(fromTokens.users());
    Set<String> groups = new TreeSet<>(fromTokens.groups());
    for (ApiUser user : configured.users()) {
      users.add(user.name());
      groups.addAll(user.groups());
    }
    return new Names(users, groups);
  }
}
