package dev.forge.activities.sandbox.gateway;

import dev.forge.spec.loop.ModelProvider;

/**
 * A tool call the model asked for in a response, as the model said it (not as the agent reported
 * it).
 *
 * @param callId the {@link ModelCall#callId()} of the response
 * @param loopId the loop
 * @param iteration the iteration
 * @param step the step
 * @param provider the provider
 * @param toolUseId the provider's id of the tool call ({@code toolu_...}, {@code call_...})
 * @param tool the tool's name ({@code Bash}, {@code shell}, {@code apply_patch})
 * @param target what it acts on (a file path, a command, a URL), at most 500 characters, secrets
 *     redacted; {@code null} when the input names none
 */
public record AgentToolCall(
    String callId,
    String loopId,
    int iteration,
    String step,
    ModelProvider provider,
    String toolUseId,
    String tool,
    String target) {}
