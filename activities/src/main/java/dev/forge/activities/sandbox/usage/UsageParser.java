package dev.forge.activities.sandbox.usage;

import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads an agent's usage report from its complete stdout. The sandbox activity reads the same
 * reports while the agent runs; this is for callers that already hold the output (tests, replays of
 * recorded runs). Never throws on what the agent printed: bad reports come back as {@code
 * malformed}, absent ones as {@code missing}.
 */
public final class UsageParser {

  private UsageParser() {}

  public static Usage parse(UsageFormat format, String stdout) {
    return parse(format, List.of(), stdout);
  }

  /**
   * @param command the agent's argument list, which may pin the model of formats Forge prices
   *     itself ({@code codex exec -m <model>})
   */
  public static Usage parse(UsageFormat format, List<String> command, String stdout) {
    UsageCollector collector = UsageCollectors.forFormat(format, command);
    LineScanner scanner = new LineScanner(LineScanner.DEFAULT_MAX_LINE_BYTES, collector);
    scanner.feed(stdout.getBytes(StandardCharsets.UTF_8));
    scanner.finish();
    return collector.usage();
  }
}
