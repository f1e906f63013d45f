package dev.forge.activities.sandbox.gateway;

import dev.forge.spec.loop.AgentModel.ToolResults;

/**
 * A finding of FORGE layer 1 ({@link dev.forge.workflows.prompt.UntrustedText}) in a tool result
 * the agent sent to the model.
 *
 * @param callId the {@link ModelCall#callId()} of the request
 * @param loopId the loop
 * @param iteration the iteration
 * @param step the step
 * @param toolUseId the id of the tool call the result answers, or {@code null}
 * @param rule the rule that matched, e.g. {@code ignore-instructions}
 * @param category its category, e.g. {@code INSTRUCTION_OVERRIDE}
 * @param excerpt the matched text with some context, at most 80 characters, secrets redacted
 * @param refused whether the call was refused for it ({@link ToolResults#REFUSE})
 */
public record FlaggedToolResult(
    String callId,
    String loopId,
    int iteration,
    String step,
    String toolUseId,
    String rule,
    String category,
    String excerpt,
    boolean refused) {}
