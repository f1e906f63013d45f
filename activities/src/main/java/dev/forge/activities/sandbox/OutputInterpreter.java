package dev.forge.activities.sandbox;

import dev.forge.workflows.sandbox.Usage;
import dev.forge.workflows.sandbox.UsageFormat;

/**
 * Watches a step's stdout lines for the completion promise and the usage report.
 *
 * <p>For line formats (Forge's usage line, Aider, or no format) the promise counts when a whole
 * line, trimmed, equals it; a longer line that merely contains it does not. For Claude's JSON the
 * promise counts when the {@code result} text of the final result object contains it.
 */
final class OutputInterpreter implements LineScanner.LineListener {

  private final UsageCollector usage;
  private final String promise;
  private boolean promiseLineSeen;

  /**
   * @param format how usage is reported, or null when the step reports none
   * @param promise the completion promise, or null when the step has none
   */
  OutputInterpreter(UsageFormat format, String promise) {
    this.usage = format == null ? null : UsageCollector.forFormat(format);
    this.promise = promise;
  }

  @Override
  public void line(String line, boolean cut) {
    if (usage != null) {
      usage.line(line, cut);
    }
    if (promise != null && !cut && !promiseLineSeen && line.strip().equals(promise)) {
      promiseLineSeen = true;
    }
  }

  boolean promiseSeen() {
    if (promise == null) {
      return false;
    }
    if (usage instanceof ClaudeJsonCollector claude) {
      return claude.resultText().map(text -> text.contains(promise)).orElse(false);
    }
    return promiseLineSeen;
  }

  /** The usage report; {@code missing} for steps that report none. */
  Usage usage() {
    return usage == null ? Usage.none(Usage.MISSING) : usage.usage();
  }
}
