package dev.forge.api.loops;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of {@code GET /api/loops/{id}/audit}, checked: {@code limit} (1 to 1000,
 * default 100) and either {@code offset} (0 to 100,000) or {@code after} (an entry id: the page
 * starts after it; stable while entries are appended). The JSONL export takes {@code after} only.
 *
 * @param offset the offset, or {@code null} when paging by {@code after}
 * @param after the entry id to start after, or {@code null} when paging by {@code offset}
 */
record AuditQuery(int limit, Integer offset, Long after) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_OFFSET = 100_000;
  private static final Set<String> PAGE = Set.of("limit", "offset", "after");
  private static final Set<String> EXPORT = Set.of("after");

  /** The parameters of the paged endpoint. */
  static AuditQuery page(Map<String, String[]> parameters) {
    List<FieldError> errors = new ArrayList<>();
    unknown(parameters, PAGE, errors);
    Long limit = number(parameters, "limit", 1, MAX_LIMIT, errors);
    Long offset = number(parameters, "offset", 0, MAX_OFFSET, errors);
    Long after = number(parameters, "after", 0, Long.MAX_VALUE, errors);
    if (offset != null && after != null) {
      errors.add(new FieldError("after", "conflict",
          "give either offset or after, not both (after pages by entry id)"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new AuditQuery(limit == null ? DEFAULT_LIMIT : limit.intValue(),
        after != null ? null : offset == null ? 0 : offset.intValue(), after);
  }

  /** The parameters of the JSONL export: {@code after} only. */
  static long exportAfter(Map<String, String[]> parameters) {
    List<FieldError> errors = new ArrayList<>();
    unknown(parameters, EXPORT, errors);
    Long after = number(parameters, "after", 0, Long.MAX_VALUE, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return after == null ? 0 : after;
  }

  private static void unknown(Map<String, String[]> parameters, Set<String> known,
      List<FieldError> errors) {
    new TreeSet<>(parameters.keySet()).stream().filter(k -> !known.contains(k)).forEach(k ->
        errors.add(new FieldError(k, "unknown", "is not a known parameter; allowed: "
            + String.join(", ", new TreeSet<>(known)))));
  }

  private static Long number(Map<String, String[]> parameters, String name, long min, long max,
      List<FieldError> errors) {
    String[] values = parameters.get(name);
    if (values == null) {
      return null;
    }
    if (values.length > 1) {
      errors.add(new FieldError(name, "duplicate", "may be given once"));
      return null;
    }
    String range = max == Long.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
    long number;
    try {
      number = Long.parseLong(values[0].strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "type", "must be a whole number " + range));
      return null;
    }
    if (number < min || number > max) {
      errors.add(new FieldError(name, "range", "must be " + range));
      return null;
    }
    return number;
  }
}
