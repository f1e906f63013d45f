package dev.forge.api.problems;

import java.time.Instant;

/**
 * An admin action that has not been confirmed yet: answered 428 with a confirmation id that the
 * same caller sends back, with the same request, before {@code expiresAt}.
 */
public class ConfirmationRequiredException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String confirmation;
  private final Instant expiresAt;
  private final String action;

  public ConfirmationRequiredException(String action, String confirmation, Instant expiresAt) {
    super("confirm " + action + ": send the same request again, with the header 'Forge-Confirmation: "
        + confirmation + "', before " + expiresAt, null, false, false);
    this.confirmation = confirmation;
    this.expiresAt = expiresAt;
    this.action = action;
  }

  public Problem toProblem(String instance) {
    return Problem.confirmationRequired(getMessage(), confirmation, expiresAt.toString(), action,
        instance);
  }
}
