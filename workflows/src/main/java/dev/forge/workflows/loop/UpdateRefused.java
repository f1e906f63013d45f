package dev.forge.workflows.loop;

import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

/**
 * Why an update validator refused an update (a gate decision, a cost-cap raise, a rollback). The
 * update is rejected and nothing is written to history. Each {@link Kind} is a class of its own
 * because its class name is the one thing besides the message that reaches the client: the SDK in
 * use (1.38) turns an {@code ApplicationFailure} thrown from a validator into one of type {@code
 * io.temporal.internal.worker.WorkflowExecutionException} and drops its details
 * (temporalio/sdk-java#2875; {@code UpdateRefusedTest} proves it for the version in use). So {@link
 * #message()} encodes the refusal and {@link #from} decodes it again on the client; the two are the
 * only code that knows the encoding. SDK 1.39.0 keeps an {@code ApplicationFailure}'s type and
 * details (sdk-java#3001): after that upgrade a refusal can cross as one, with field, rule and
 * detail as its details; this class and the validators' throws change, the API keeps calling
 * {@link #from}.
 *
 * <p>The encoding: the message of {@link Kind#INVALID} reads {@code field (rule): detail}, the
 * message of the other kinds is the detail alone. A field and a rule are single words (no blanks,
 * parentheses or colons; the constructor checks), so the first {@code " ("} and the first {@code
 * "): "} after it split the message unambiguously.
 */
public abstract sealed class UpdateRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What the refusal means to a client (and the HTTP status the API answers with). */
  public enum Kind {
    /** The caller may not make this change: HTTP 403. */
    FORBIDDEN,
    /** Nothing to decide right now, or the change does not fit the loop's state: HTTP 409. */
    CONFLICT,
    /** The update lacks something it requires: HTTP 400 naming the field and the rule. */
    INVALID
  }

  private final String field;
  private final String rule;
  private final String detail;

  private UpdateRefused(String field, String rule, String detail) {
    super(encode(field, rule, detail), null, false, false);
    this.field = field;
    this.rule = rule;
    this.detail = detail;
  }

  public abstract Kind kind();

  /** The update's field at fault, for {@link Kind#INVALID}; {@code null} otherwise. */
  public String field() {
    return field;
  }

  /** The rule the field breaks, for {@link Kind#INVALID}; {@code null} otherwise. */
  public String rule() {
    return rule;
  }

  /** What is wrong and what to do, for a person. */
  public String detail() {
    return detail;
  }

  /** The refusal as it crosses to the client (see the class comment). */
  public String message() {
    return getMessage();
  }

  /**
   * The refusal a client received as the cause of a rejected update, or empty when the failure is
   * not one (a validator's bug, an SDK failure).
   */
  public static Optional<UpdateRefused> from(ApplicationFailure failure) {
    String type = failure.getType();
    String message = failure.getOriginalMessage();
    if (Forbidden.class.getName().equals(type)) {
      return Optional.of(new Forbidden(message));
    }
    if (Conflict.class.getName().equals(type)) {
      return Optional.of(new Conflict(message));
    }
    if (!Invalid.class.getName().equals(type)) {
      return Optional.empty();
    }
    int open = message.indexOf(" (");
    int close = open < 0 ? -1 : message.indexOf("): ", open);
    if (close < 0) {
      return Optional.empty();
    }
    return Optional.of(new Invalid(message.substring(0, open), message.substring(open + 2, close),
        message.substring(close + 3)));
  }

  private static String encode(String field, String rule, String detail) {
    if (field == null && rule == null) {
      return detail;
    }
    if (!isWord(field) || !isWord(rule)) {
      throw new IllegalArgumentException("a refusal's field and rule are single words: '" + field
          + "', '" + rule + "'");
    }
    return field + " (" + rule + "): " + detail;
  }

  private static boolean isWord(String text) {
    return text != null && !text.isEmpty()
        && text.chars().noneMatch(c -> c == ' ' || c == '(' || c == ')' || c == ':');
  }

  /** {@link Kind#FORBIDDEN}. */
  public static final class Forbidden extends UpdateRefused {
    private static final long serialVersionUID = 1L;

    public Forbidden(String detail) {
      super(null, null, detail);
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }
  }

  /** {@link Kind#CONFLICT}. */
  public static final class Conflict extends UpdateRefused {
    private static final long serialVersionUID = 1L;

    public Conflict(String detail) {
      super(null, null, detail);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /** {@link Kind#INVALID}. */
  public static final class Invalid extends UpdateRefused {
    private static final long serialVersionUID = 1L;

    public Invalid(String field, String rule, String detail) {
      super(field, rule, detail);
    }

    @Override
    public Kind kind() {
      return Kind.INVALID;
    }
  }
}
