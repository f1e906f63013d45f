package dev.forge.spec;

import java.util.List;

/**
 * A loop specification that breaks one or more rules, with every refusal found. Thrown by the
 * parsers of this module; the API answers it with 400 and every refusal, nothing changed.
 */
public class InvalidSpecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Refusal> refusals;

  public InvalidSpecException(List<Refusal> refusals) {
    super(summary(refusals), null, false, false);
    this.refusals = List.copyOf(refusals);
  }

  public InvalidSpecException(String field, String rule, String detail) {
    this(List.of(new Refusal(field, rule, detail)));
  }

  /** Every refusal, in the order found; never empty. */
  public List<Refusal> refusals() {
    return refusals;
  }

  private static String summary(List<Refusal> refusals) {
    if (refusals.isEmpty()) {
      throw new IllegalArgumentException("an InvalidSpecException needs at least one refusal");
    }
    Refusal first = refusals.get(0);
    String more = refusals.size() > 1 ? " (and " + (refusals.size() - 1) + " more)" : "";
    return first.field() + ": " + first.detail() + more;
  }
}
