package dev.forge.api.problems;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of a JSON body that its record does not know. Each body record is read from the
 * body's JSON object (so that a wrong type, a null or an unknown field is reported by the handler,
 * with every other problem of the body, instead of failing the read), keeps the names it does not
 * know, and the handler refuses them with {@link #refuse}.
 */
public final class UnknownFields {

  private UnknownFields() {}

  /** The keys of {@code body} that are not {@code known}, sorted; none for an absent body. */
  public static List<String> of(Map<String, ?> body, Collection<String> known) {
    return body == null ? List.of()
        : body.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
  }

  /** Reports each unknown field as an {@code unknown} error naming the {@code allowed} fields. */
  public static void refuse(List<String> unknown, String allowed, List<FieldError> errors) {
    unknown.forEach(k -> errors.add(
        new FieldError(k, "unknown", "is not a known field; allowed: " + allowed)));
  }
}
