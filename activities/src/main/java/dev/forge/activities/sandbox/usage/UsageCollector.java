package dev.forge.activities.sandbox.usage;

import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.workflows.sandbox.Usage;

/**
 * Reads an agent's usage report from its stdout, line by line, while the agent runs. Holds at most
 * one line of state; never throws on what the agent prints. {@link UsageCollectors#forFormat}
 * picks the implementation for a format (the factory lives outside this interface so that the
 * interface does not depend on its implementations).
 */
public interface UsageCollector extends LineScanner.LineListener {

  /**
   * What was reported so far: {@code reported}, {@code missing} or {@code malformed}; for formats
   * Forge prices itself, {@code priced} or {@code unpriced}.
   */
  Usage usage();

  /** Lines that looked like reports but could not be read, for formats that skip them. */
  default long malformedLines() {
    return 0;
  }
}
