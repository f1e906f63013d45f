package dev.forge.activities.sandbox;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks credential values in text that leaves the activity (output kept for the audit log and the
 * result, error messages). Output is cut into head and tail, so a value may also be cut in two: at
 * a cut edge, a fragment of three or more characters of a value is removed as well.
 */
final class Redactor {

  static final String MASK = "[REDACTED]";
  private static final int MIN_FRAGMENT = 3;

  private final List<String> values;

  Redactor(Collection<String> values) {
    this.values =
        values.stream()
            .filter(v -> v != null && !v.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  static Redactor none() {
    return new Redactor(List.of());
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : values) {
      out = out.replace(value, MASK);
    }
    return out;
  }

  /** Redacts text whose start was cut off: a leading end-piece of a value goes too. */
  String redactCutStart(String text) {
    String out = redact(text);
    for (String value : values) {
      for (int k = value.length() - 1; k >= minFragment(value); k--) {
        if (out.startsWith(value.substring(value.length() - k))) {
          out = MASK + out.substring(k);
          break;
        }
      }
    }
    return out;
  }

  /** Redacts text whose end was cut off: a trailing start-piece of a value goes too. */
  String redactCutEnd(String text) {
    String out = redact(text);
    for (String value : values) {
      for (int k = value.length() - 1; k >= minFragment(value); k--) {
        if (out.endsWith(value.substring(0, k))) {
          out = out.substring(0, out.length() - k) + MASK;
          break;
        }
      }
    }
    return out;
  }

  private static int minFragment(String value) {
    return Math.max(1, Math.min(MIN_FRAGMENT, value.length() - 1));
  }
}
