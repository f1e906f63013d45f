package dev.forge.api.loops;

import dev.forge.api.problems.FieldError;
import java.util.List;

/** Checks shared by the small JSON bodies of the loop control endpoints. */
final class BodyFields {

  /** How long a free-text reason may be. */
  static final int MAX_REASON = 2000;

  private BodyFields() {}

  /** The optional {@code reason}: a string of at most {@value #MAX_REASON} characters, or "". */
  static String reason(Object reason, List<FieldError> errors) {
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
