package dev.forge.spec.sandbox;

/** How an agent reports what an iteration cost. */
public enum UsageFormat {
  /** Forge's own line: {@code FORGE_USAGE {"input_tokens":..,"output_tokens":..,"cost_usd":..}}. */
  FORGE_USAGE,
  /** The result object printed by {@code claude -p --output-format json}. */
  CLAUDE_JSON,
  /** Aider's {@code Tokens: ... Cost: $X message, $Y session.} line. */
  AIDER,
  /**
   * The events of {@code codex exec --json}: the {@code usage} of every {@code turn.completed}
   * summed, and priced with Forge's price table (Codex reports no cost).
   */
  CODEX_JSONL
}
