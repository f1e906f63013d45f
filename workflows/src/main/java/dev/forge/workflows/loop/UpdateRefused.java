package dev.forge.workflows.loop;

import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

/**
 * Why an update validator refused an update (a gate decision, a cost-cap raise, a rollback). The
 * update is rejected and nothing is written to history, so the form a refusal crosses in is free
 * to change: no recorded history holds one.
 *
 * <p>A refusal crosses to the client as data: the validator throws the {@link ApplicationFailure}
 * that {@link #forbidden}, {@link #conflict} or {@link #invalid} make, whose type is the kind's
 * {@link Kind#type() stable type} and whose message is the detail; an {@link Kind#INVALID}
 * refusal carries its field and rule as the failure's two details. The client reads it back with
 * {@link #from}. (SDK 1.38 dropped a validator's failure type and details, temporalio/sdk-java
 * #2875, so refusals were once encoded in the message; 1.39.0 keeps them, sdk-java#3001, and
 * {@code UpdateRefusedTest} proves it for the version in use.)
 *
 * @param kind what the refusal means to a client
 * @param field the update's field at fault, for {@link Kind#INVALID}; {@code null} otherwise
 * @param rule the rule the field breaks, for {@link Kind#INVALID}; {@code null} otherwise
 * @param detail what is wrong and what to do, for a person
 */
public record UpdateRefused(Kind kind, String field, String rule, String detail) {

  /** What the refusal means to a client (and the HTTP status the API answers with). */
  public enum Kind {
    /** The caller may not make this change: HTTP 403. */
    FORBIDDEN("UpdateRefused.FORBIDDEN"),
    /** Nothing to decide right now, or the change does not fit the loop's state: HTTP 409. */
    CONFLICT("UpdateRefused.CONFLICT"),
    /** The update lacks something it requires: HTTP 400 naming the field and the rule. */
    INVALID("UpdateRefused.INVALID");

    private final String type;

    Kind(String type) {
      this.type = type;
    }

    /**
     * The failure type a refusal of this kind crosses with. Spelled out rather than derived from
     * a class or constant name, so a rename in this code cannot change what a client reads.
     */
    public String type() {
      return type;
    }

    static Optional<Kind> ofType(String type) {
      for (Kind kind : values()) {
        if (kind.type.equals(type)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  /** An {@link Kind#INVALID} refusal names its field and rule; the other kinds name neither. */
  public UpdateRefused {
    if (kind == null || detail == null) {
      throw new IllegalArgumentException("a refusal has a kind and a detail");
    }
    boolean named = field != null && !field.isBlank() && rule != null && !rule.isBlank();
    boolean unnamed = field == null && rule == null;
    if (kind == Kind.INVALID ? !named : !unnamed) {
      throw new IllegalArgumentException("an " + Kind.INVALID + " refusal, and only one, names a"
          + " field and a rule: " + kind + " '" + field + "', '" + rule + "'");
    }
  }

  /** For a validator to throw: the caller may not make this change. */
  public static ApplicationFailure forbidden(String detail) {
    return new UpdateRefused(Kind.FORBIDDEN, null, null, detail).failure();
  }

  /** For a validator to throw: the change does not fit the loop's state. */
  public static ApplicationFailure conflict(String detail) {
    return new UpdateRefused(Kind.CONFLICT, null, null, detail).failure();
  }

  /** For a validator to throw: the update's {@code field} breaks {@code rule}. */
  public static ApplicationFailure invalid(String field, String rule, String detail) {
    return new UpdateRefused(Kind.INVALID, field, rule, detail).failure();
  }

  /**
   * The refusal as it crosses to the client. Non-retryable: a refusal is an answer, and the
   * client decides whether to send a different update.
   */
  public ApplicationFailure failure() {
    return kind == Kind.INVALID
        ? ApplicationFailure.newNonRetryableFailure(detail, kind.type(), field, rule)
        : ApplicationFailure.newNonRetryableFailure(detail, kind.type());
  }

  /**
   * The refusal a client received as the cause of a rejected update, or empty when the failure is
   * not one (a validator's bug, an SDK failure, an {@link Kind#INVALID} type without its field and
   * rule).
   */
  public static Optional<UpdateRefused> from(ApplicationFailure failure) {
    Kind kind = Kind.ofType(failure.getType()).orElse(null);
    String detail = failure.getOriginalMessage();
    if (kind == null || detail == null) {
      return Optional.empty();
    }
    if (kind != Kind.INVALID) {
      return Optional.of(new UpdateRefused(kind, null, null, detail));
    }
    String field = detail(failure, 0);
    String rule = detail(failure, 1);
    if (field == null || field.isBlank() || rule == null || rule.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new UpdateRefused(kind, field, rule, detail));
  }

  /** The failure's detail at {@code index} as text, or {@code null} when it has none there. */
  private static String detail(ApplicationFailure failure, int index) {
    if (failure.getDetails().getSize() <= index) {
      return null;
    }
    Object value = failure.getDetails().get(index, Object.class);
    return value instanceof String text ? text : null;
  }
}
