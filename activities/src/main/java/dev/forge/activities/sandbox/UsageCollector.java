package dev.forge.activities.sandbox;

import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.util.List;

/**
 * Reads an agent's usage report from its stdout, line by line, while the agent runs. Holds at most
 * one line of state; never throws on what the agent prints.
 */
interface UsageCollector extends LineScanner.LineListener {

  /**
   * What was reported so far: {@code reported}, {@code missing} or {@code malformed}; for formats
   * Forge prices itself, {@code priced} or {@code unpriced}.
   */
  Usage usage();

  /** Lines that looked like reports but could not be read, for formats that skip them. */
  default long malformedLines() {
    return 0;
  }

  static UsageCollector forFormat(UsageFormat format) {
    return forFormat(format, List.of());
  }

  /**
   * @param command the agent's argument list; Codex's {@code -m}/{@code --model} in it says what
   *     its turns are priced as
   */
  static UsageCollector forFormat(UsageFormat format, List<String> command) {
    return switch (format) {
      case FORGE_USAGE -> new ForgeUsageCollector();
      case CLAUDE_JSON -> new ClaudeJsonCollector();
      case AIDER -> new AiderUsageCollector();
      case CODEX_JSONL -> new CodexJsonlCollector(
          PriceTable.pinned(), CodexJsonlCollector.modelFromCommand(command));
    };
  }
}
