package dev.forge.api.loops;

import dev.forge.spec.loop.Approvers;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.workflows.loop.LoopState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The query parameters of {@code GET /api/loops}, checked: {@code state} (repeated or
 * comma-separated {@link LoopState} names), {@code repository} (an absolute path), {@code
 * startedBy} (a user name), {@code limit} (1 to 500, default 50), {@code offset} (0 or more).
 *
 * @param states the states asked for; empty: every state
 */
record LoopListQuery(Set<LoopState> states, String repository, String startedBy, int limit,
    int offset) {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final int MAX_OFFSET = 100_000;
  private static final Pattern USER = Approvers.NAME;
  private static final Set<String> KNOWN = Set.of("state", "repository", "startedBy", "limit", "offset");

  LoopListQuery {
    states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
  }

  static LoopListQuery read(Map<String, String[]> parameters) {
    List<FieldError> errors = new ArrayList<>();
    new TreeSet<>(parameters.keySet()).stream().filter(k -> !KNOWN.contains(k)).forEach(k ->
        errors.add(new FieldError(k, "unknown",
            "is not a known parameter; allowed: limit, offset, repository, startedBy, state")));
    Set<LoopState> states = EnumSet.noneOf(LoopState.class);
    for (String value : parameters.getOrDefault("state", new String[0])) {
      for (String name : value.split(",", -1)) {
        try {
          states.add(LoopState.valueOf(name.strip()));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("state", "format", "'" + printable(name)
              + "' is not a loop state; states: " + Arrays.stream(LoopState.values())
                  .map(Enum::name).collect(Collectors.joining(", "))));
        }
      }
    }
    String repository = single(parameters, "repository", errors);
    if (repository != null && (!repository.startsWith("/") || repository.length() > 4096
        || repository.indexOf('\0') >= 0)) {
      errors.add(new FieldError("repository", "path",
          "must be the absolute path of a repository, as loops show it"));
    }
    String startedBy = single(parameters, "startedBy", errors);
    if (startedBy != null && !USER.matcher(startedBy).matches()) {
      errors.add(new FieldError("startedBy", "format", "must be a user name: letters, digits,"
          + " '.', '_' and '-', at most 64 characters"));
    }
    int limit = number(parameters, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
    int offset = number(parameters, "offset", 0, 0, MAX_OFFSET, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new LoopListQuery(states, repository, startedBy, limit, offset);
  }

  private static String single(Map<String, String[]> parameters, String name, List<FieldError> errors) {
    String[] values = parameters.get(name);
    if (values == null) {
      return null;
    }
    if (values.length > 1) {
      errors.add(new FieldError(name, "duplicate", "may be given once"));
      return null;
    }
    if (values[0].isEmpty()) {
      errors.add(new FieldError(name, "required", "must not be empty; leave it out to not filter"));
      return null;
    }
    return values[0];
  }

  private static int number(Map<String, String[]> parameters, String name, int fallback, int min,
      int max, List<FieldError> errors) {
    String value = single(parameters, name, errors);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.strip());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "type", "must be a whole number from " + min + " to " + max));
      return fallback;
    }
    errors.add(new FieldError(name, "range", "must be from " + min + " to " + max));
    return fallback;
  }

  private static String printable(String value) {
    String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return cut.replaceAll("[^A-Za-z0-9._-]", "?");
  }
}
