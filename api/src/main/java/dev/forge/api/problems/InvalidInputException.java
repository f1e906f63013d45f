package dev.forge.api.problems;

import java.util.List;

/** Input that breaks one or more rules; answered with 400 and every error, nothing changed. */
public class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public InvalidInputException(List<FieldError> errors) {
    super(summary(errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public InvalidInputException(String field, String rule, String message) {
    this(List.of(new FieldError(field, rule, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one error");
    }
    FieldError first = errors.get(0);
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    return first.field() + ": " + first.message() + more;
  }
}
