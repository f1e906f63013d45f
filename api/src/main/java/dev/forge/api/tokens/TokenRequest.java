package dev.forge.api.tokens;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.UnknownFields;
import dev.forge.api.identity.Role;
import dev.forge.spec.loop.Approvers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request to create a token: {@code {"name": "alice", "roles": ["engineer"], "groups":
 * ["team-a"], "expiresIn": "30d"}}. Every field is checked; all errors are reported at once.
 */
record TokenRequest(String name, Set<Role> roles, List<String> groups, Duration lifetime) {

  private static final Pattern NAME = Approvers.NAME;
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})([dhm])");
  private static final int MAX_GROUPS = 16;
  private static final Duration MIN_LIFETIME = Duration.ofMinutes(5);

  /** What the admin confirms; the same request always gives the same text. */
  String canonical() {
    return "name=" + name + ";roles=" + roles.stream().map(Role::externalName).sorted().toList()
        + ";groups=" + groups + ";lifetime=" + lifetime;
  }

  String describe() {
    return "creating a token for " + name + " with roles "
        + String.join(", ", roles.stream().map(Role::externalName).toList())
        + (groups.isEmpty() ? "" : " and groups " + String.join(", ", groups))
        + ", valid for " + format(lifetime);
  }

  private static String format(Duration lifetime) {
    if (lifetime.toMinutes() % (24 * 60) == 0) {
      return lifetime.toDays() + "d";
    }
    return lifetime.toMinutes() % 60 == 0 ? lifetime.toHours() + "h" : lifetime.toMinutes() + "m";
  }

  static TokenRequest read(NewTokenBody sent, Duration defaultLifetime, Duration maxLifetime) {
    List<FieldError> errors = new ArrayList<>();
    NewTokenBody body = sent == null ? NewTokenBody.NONE : sent;
    UnknownFields.refuse(body.unknownFields(), "name, roles, groups, expiresIn", errors);
    String name = name(body.name(), errors);
    Set<Role> roles = roles(body.roles(), errors);
    List<String> groups = groups(body.groups(), errors);
    Duration lifetime = lifetime(body.expiresIn(), defaultLifetime, maxLifetime, errors);
    if (name != null && groups.contains(name)) {
      errors.add(new FieldError("groups[" + groups.indexOf(name) + "]", "conflict", "names the"
          + " token's own user " + name + "; user and group names must differ"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new TokenRequest(name, roles, groups, lifetime);
  }

  /**
   * Refuses a name that is already a group and groups that are already user names: an approver
   * list naming {@code team-lead} must not admit a user who was given that name later.
   */
  void refuseClashes(KnownNames.Names known) {
    List<FieldError> errors = new ArrayList<>();
    if (known.groups().contains(name)) {
      errors.add(new FieldError("name", "conflict", "'" + name + "' is already the name of a"
          + " group; user and group names must differ (approvers may name either)"));
    }
    for (int i = 0; i < groups.size(); i++) {
      if (known.users().contains(groups.get(i))) {
        errors.add(new FieldError("groups[" + i + "]", "conflict", "'" + groups.get(i) + "' is"
            + " already the name of a user; user and group names must differ"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static String name(Object value, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError("name", "required", "the user the token is for, e.g. \"alice\""));
    } else if (!(value instanceof String text) || !NAME.matcher(text).matches()) {
      errors.add(new FieldError("name", "format", "must be 1 to 64 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit"));
    } else {
      return text;
    }
    return null;
  }

  private static Set<Role> roles(Object value, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError("roles", "required", "a list of one or more of " + Role.names()));
      return null;
    }
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      errors.add(new FieldError("roles", "type", "must be a non-empty list of " + Role.names()));
      return null;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (int i = 0; i < list.size(); i++) {
      String field = "roles[" + i + "]";
      Role role = list.get(i) instanceof String text ? parse(text) : null;
      if (role == null) {
        errors.add(new FieldError(field, "unsupported", "must be one of " + Role.names()));
      } else if (!roles.add(role)) {
        errors.add(new FieldError(field, "duplicate", "names " + role.externalName() + " twice"));
      }
    }
    return roles;
  }

  private static Role parse(String text) {
    for (Role role : Role.values()) {
      if (role.externalName().equals(text)) {
        return role;
      }
    }
    return null;
  }

  private static List<String> groups(Object value, List<FieldError> errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      errors.add(new FieldError("groups", "type", "must be a list of group names"));
      return List.of();
    }
    if (list.size() > MAX_GROUPS) {
      errors.add(new FieldError("groups", "range", "must name at most " + MAX_GROUPS + " groups"));
      return List.of();
    }
    Set<String> groups = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String field = "groups[" + i + "]";
      if (!(list.get(i) instanceof String text) || !NAME.matcher(text).matches()) {
        errors.add(new FieldError(field, "format", "must be 1 to 64 letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit"));
      } else if (!groups.add(text)) {
        errors.add(new FieldError(field, "duplicate", "names group " + text + " twice"));
      }
    }
    return List.copyOf(groups);
  }

  private static Duration lifetime(Object value, Duration defaultLifetime, Duration maxLifetime,
      List<FieldError> errors) {
    if (value == null) {
      return defaultLifetime;
    }
    Matcher m = value instanceof String text ? DURATION.matcher(text) : null;
    if (m == null || !m.matches()) {
      errors.add(new FieldError("expiresIn", "format",
          "must be a whole number of days, hours or minutes, e.g. \"30d\", \"12h\" or \"90m\""));
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    Duration lifetime = switch (m.group(2)) {
      case "d" -> Duration.ofDays(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofMinutes(amount);
    };
    if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(maxLifetime) > 0) {
      errors.add(new FieldError("expiresIn", "range", "must be at least 5m and at most "
          + maxLifetime.toDays() + "d (forge.api.tokens.max-lifetime)"));
      return null;
    }
    return lifetime;
  }
}
