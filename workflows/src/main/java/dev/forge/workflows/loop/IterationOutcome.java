package dev.forge.workflows.loop;

/**
 * How one pass of the loop ended: the loop goes on with another, or stops as {@link #stop} says.
 *
 * @param stop why the loop stops iterating, or {@code null} when it goes on
 */
record IterationOutcome(Stop stop) {

  /** Another iteration may start (if no limit stops the loop first). */
  static final IterationOutcome GO_ON = new IterationOutcome(null);

  static IterationOutcome stop(Stop stop) {
    return new IterationOutcome(stop);
  }

  boolean goesOn() {
    return stop == null;
  }
}
