package dev.forge.api.loops;

import dev.forge.api.problems.FieldError;
import java.util.List;
import java.util.Map;

/** Checks shared by the small JSON bodies of the loop control endpoints. */
final class BodyFields {

  /** How long a free-text reason may be. */
  static final int MAX_REASON = 2000;

  private BodyFields() {}

  /** The body's fields; an absent body has none. */
  static Map<String, Object> of(Map<String, Object> body) {
    return body == null ? Map.of() : body;
  }

  /** Reports every field that is not one of {@code allowed}. */
  static void refuseUnknown(Map<String, Object> fields, List<String> allowed,
      List<FieldError> errors) {
    fields.keySet().stream().filter(k -> !allowed.contains(k)).sorted()
        .forEach(k -> errors.add(new FieldError(k, "unknown",
            "is not a known field; allowed: " + String.join(", ", allowed))));
  }

  /** The optional {@code reason}: a string of at most {@value #MAX_REASON} characters, or "". */
  static String reason(Map<String, Object> fields, List<FieldError> errors) {
    Object reason = fields.get("reason");
    if (reason == null) {
      return "";
    }
    if (!(reason instanceof String text)) {
      errors.add(new FieldError("reason", "type", "must be a string"));
      return "";
    }
    if (text.length() > MAX_REASON) {
      errors.add(new FieldError("reason", "range", "must be at most " + MAX_REASON + " characters"));
    }
    return text;
  }
}
