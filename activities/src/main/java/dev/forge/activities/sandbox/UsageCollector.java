package dev.forge.activities.sandbox;

import dev.forge.workflows.sandbox.Usage;
import dev.forge.workflows.sandbox.UsageFormat;

/**
 * Reads an agent's usage report from its stdout, line by line, while the agent runs. Holds at most
 * one line of state; never throws on what the agent prints.
 */
interface UsageCollector extends LineScanner.LineListener {

  /** What was reported so far: {@code reported}, {@code missing} or {@code malformed}. */
  Usage usage();

  static UsageCollector forFormat(UsageFormat format) {
    return switch (format) {
      case FORGE_USAGE -> new ForgeUsageCollector();
      case CLAUDE_JSON -> new ClaudeJsonCollector();
      case AIDER -> new AiderUsageCollector();
    };
  }
}
