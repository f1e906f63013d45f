package dev.forge.api.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code errors} lists every field
 * that broke a rule, for 400 responses.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://forge.dev/problems/";

  public static Problem of(int status, String slug, String title, String detail, String instance) {
    return new Problem(TYPE_BASE + slug, title, status, detail, instance, null);
  }

  public static Problem invalid(List<FieldError> errors, String instance) {
    return new Problem(TYPE_BASE + "invalid-input", "Invalid input", 400,
        errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid; see errors",
        instance, errors);
  }
}
