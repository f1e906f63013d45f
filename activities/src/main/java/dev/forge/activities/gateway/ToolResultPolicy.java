package dev.forge.activities.gateway;

/**
 * What the gateway does with a request whose newest tool results look like prompt injection (FORGE
 * layer 1, {@link dev.forge.workflows.prompt.UntrustedText}).
 */
public enum ToolResultPolicy {
  /** Forward the call and report each finding ({@link ModelCallRecorder#flagged}). */
  FLAG,
  /** Report each finding and refuse the call in the provider's error format. */
  REFUSE
}
