package dev.forge.spec;

/**
 * A value that breaks one rule of the loop specification, before anyone knows which field held it.
 * A value type's {@code parse} throws it; the caller names the field ({@link #at}) or, on the
 * activity side, turns it into a non-retryable failure.
 */
public final class RuleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String rule;
  private final String detail;

  public RuleException(String rule, String detail) {
    super(rule + ": " + detail);
    this.rule = rule;
    this.detail = detail;
  }

  public String rule() {
    return rule;
  }

  public String detail() {
    return detail;
  }

  /** This refusal, for the field that held the value. */
  public Refusal at(String field) {
    return new Refusal(field, rule, detail);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
