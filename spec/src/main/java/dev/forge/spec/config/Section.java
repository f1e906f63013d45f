package dev.forge.spec.config;

import dev.forge.spec.Shown;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One mapping of the config, read against the keys its schema allows. Unknown keys, planned keys
 * and non-string keys are reported when the section is read; the rest are looked up by name.
 */
final class Section {

  private final Issues issues;
  private final String path;
  private final Map<String, Object> entries;
  private final boolean mapping;

  private Section(Issues issues, String path, Map<String, Object> entries, boolean mapping) {
    this.issues = issues;
    this.path = path;
    this.entries = entries;
    this.mapping = mapping;
  }

  /**
   * Reads {@code value} as a mapping. An absent value ({@code null}) gives an empty section; any
   * other non-mapping is a {@code type} error and gives an empty section too.
   *
   * @param planned keys that are planned but not available yet, each with the message to give
   */
  static Section read(Issues issues, String path, Object value, List<String> allowed,
      Map<String, String> planned) {
    if (value == null) {
      return new Section(issues, path, Map.of(), false);
    }
    if (!(value instanceof Map<?, ?> map)) {
      issues.add(path.isEmpty() ? Paths.DOCUMENT : path, "type",
          "must be a mapping of " + String.join(", ", allowed) + ", got " + Shown.kind(value));
      return new Section(issues, path, Map.of(), false);
    }
    Map<String, Object> entries = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String field = Paths.key(path, entry.getKey());
      if (!(entry.getKey() instanceof String key)) {
        issues.add(field, "type", "keys must be strings, got " + Shown.kindAndValue(entry.getKey())
            + "; in YAML, quote keys such as on, yes or 1");
      } else if (allowed.contains(key)) {
        entries.put(key, entry.getValue());
      } else if (planned.containsKey(key)) {
        issues.add(field, "unsupported", planned.get(key));
      } else {
        issues.add(field, "unknown", unknownMessage(key, allowed));
      }
    }
    return new Section(issues, path, Collections.unmodifiableMap(entries), true);
  }

  /** Whether the value was a mapping (possibly empty). */
  boolean isMapping() {
    return mapping;
  }

  /** The value under {@code key}, or {@code null} when absent or null. */
  Object get(String key) {
    return entries.get(key);
  }

  String path(String key) {
    return Paths.key(path, key);
  }

  /** Reports {@code key} as missing when it is; {@code what} says what to put there. */
  boolean require(String key, String what) {
    if (entries.get(key) != null) {
      return true;
    }
    issues.add(path(key), "required", "is required: " + what);
    return false;
  }

  private static String unknownMessage(String key, List<String> allowed) {
    String message = "unknown key " + Shown.value(key) + "; allowed here: " + String.join(", ", allowed);
    String suggestion = closest(key, allowed);
    return suggestion == null ? message : message + " (did you mean '" + suggestion + "'?)";
  }

  /** The allowed key a typo most likely meant, or null. */
  private static String closest(String key, List<String> allowed) {
    if (key.length() > 64) {
      return null;
    }
    String normal = key.toLowerCase(Locale.ROOT).replace('-', '_');
    String best = null;
    int bestDistance = 3;
    for (String candidate : allowed) {
      int distance = distance(normal, candidate);
      if (distance < bestDistance && distance < candidate.length() / 2 + 1) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
