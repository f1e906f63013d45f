package dev.forge.activities.sandbox.usage;

import dev.forge.spec.sandbox.UsageFormat;
import java.util.List;

/** The {@link UsageCollector} for each usage format. */
public final class UsageCollectors {

  private UsageCollectors() {}

  public static UsageCollector forFormat(UsageFormat format) {
    return forFormat(format, List.of());
  }

  /**
   * @param command the agent's argument list; Codex's {@code -m}/{@code --model} in it says what
   *     its turns are priced as
   */
  public static UsageCollector forFormat(UsageFormat format, List<String> command) {
    return switch (format) {
      case FORGE_USAGE -> new ForgeUsageCollector();
      case CLAUDE_JSON -> new ClaudeJsonCollector();
      case AIDER -> new AiderUsageCollector();
      case CODEX_JSONL -> new CodexJsonlCollector(
          PriceTable.pinned(), CodexJsonlCollector.modelFromCommand(command));
    };
  }
}
