package dev.forge.activities.sandbox.gateway;

/**
 * Receives what the gateway saw. Called on the gateway's event loop: an implementation hands the
 * records off quickly (a queue, a thread of its own) and must be thread-safe. {@link #tool} and
 * {@link #flagged} may come before the {@link #call} they belong to, which comes once, after the
 * call ended. An exception thrown here is logged and never breaks the agent's stream.
 */
public interface ModelCallRecorder {

  /** One call, forwarded or refused, after it ended. */
  void call(ModelCall c);

  /** One tool call the model asked for. */
  void tool(AgentToolCall t);

  /** One finding in the tool results of a request. */
  void flagged(FlaggedToolResult f);
}
