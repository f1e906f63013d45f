package dev.forge.workflows.sandbox;

/**
 * How one sandbox step ended. Output is kept small here (it lands in workflow history); the bounded
 * full output goes to the audit log.
 *
 * @param step the step's name
 * @param outcome how the container ended
 * @param exitCode the exit code (137 after a kill)
 * @param durationMillis wall-clock time from start to exit
 * @param outputTail the last few KiB of stdout and stderr, for feedback and display
 * @param outputTruncated whether output beyond the configured limit was dropped
 * @param promiseSeen whether the completion promise appeared
 * @param usage the usage report, or {@link Usage#none} for steps that report none
 */
public record SandboxResult(
    String step,
    SandboxOutcome outcome,
    int exitCode,
    long durationMillis,
    String outputTail,
    boolean outputTruncated,
    boolean promiseSeen,
    Usage usage) {

  public boolean succeeded() {
    return outcome == SandboxOutcome.EXITED && exitCode == 0;
  }
}
