package dev.forge.workflows.loop;

/**
 * Thrown by the gate-decision validator. The update is rejected and nothing is written to history.
 * Clients see the failure type {@code dev.forge.workflows.loop.GateDecisionRefused$Forbidden} or
 * {@code ...$NotPending} or {@code ...$Invalid} (a plain exception, because the SDK loses the type of an {@code
 * ApplicationFailure} thrown from a validator).
 */
public abstract class GateDecisionRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  GateDecisionRefused(String message) {
    super(message, null, false, false);
  }

  /** The caller may not decide this gate (or make this change): HTTP 403. */
  public static final class Forbidden extends GateDecisionRefused {
    private static final long serialVersionUID = 1L;

    public Forbidden(String message) {
      super(message);
    }
  }

  /** Nothing to decide right now, or the change does not fit the loop's state: HTTP 409. */
  public static final class NotPending extends GateDecisionRefused {
    private static final long serialVersionUID = 1L;

    public NotPending(String message) {
      super(message);
    }
  }

  /**
   * The decision lacks something the gate requires: HTTP 400. The message reads {@code field
   * (rule): detail}, which the API takes apart again.
   */
  public static final class Invalid extends GateDecisionRefused {
    private static final long serialVersionUID = 1L;

    public Invalid(String field, String rule, String detail) {
      super(field + " (" + rule + "): " + detail);
    }
  }
}
