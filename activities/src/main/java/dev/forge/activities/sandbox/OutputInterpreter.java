package dev.forge.activities.sandbox;

import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.activities.sandbox.usage.ClaudeJsonCollector;
import dev.forge.activities.sandbox.usage.CodexJsonlCollector;
import dev.forge.activities.sandbox.usage.UsageCollector;
import dev.forge.activities.sandbox.usage.UsageCollectors;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.util.List;

/**
 * Watches a step's stdout lines for the completion promise and the usage report.
 *
 * <p>For line formats (Forge's usage line, Aider, or no format) the promise counts when a whole
 * line, trimmed, equals it; a longer line that merely contains it does not. For Claude's JSON the
 * promise counts when the {@code result} text of the final result object contains it; for Codex's
 * events, when the text of the last {@code agent_message} contains it.
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
    this(format, List.of(), promise);
  }

  /**
   * @param format how usage is reported, or null when the step reports none
   * @param command the step's argument list (Codex's may pin the model its usage is priced as)
   * @param promise the completion promise, or null when the step has none
   */
  OutputInterpreter(UsageFormat format, List<String> command, String promise) {
    this.usage = format == null ? null : UsageCollectors.forFormat(format, command);
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
    if (usage instanceof CodexJsonlCollector codex) {
      return codex.lastAgentMessage().map(text -> text.contains(promise)).orElse(false);
    }
    return promiseLineSeen;
  }

  /** Report lines of the usage format that could not be read and were skipped. */
  long usageMalformedLines() {
    return usage == null ? 0 : usage.malformedLines();
  }

  /** The usage report; {@code missing} for steps that report none. */
  Usage usage() {
    return usage == null ? Usage.none(Usage.MISSING) : usage.usage();
  }
}
