package dev.forge.activities.sandbox.gateway;

import dev.forge.spec.loop.ModelProvider;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One model call through the gateway, forwarded or refused, as the recorder receives it after the
 * call ended. Plain values only: never a credential, a token or a prompt.
 *
 * @param callId a random UUID, also on the call's {@link AgentToolCall}s and {@link
 *     FlaggedToolResult}s
 * @param loopId the loop
 * @param iteration the iteration
 * @param step the step
 * @param attempt the step's attempt
 * @param provider the provider
 * @param model the model the response named, else the one the request named, else {@code null}
 * @param method the HTTP method
 * @param path the request path, without its query
 * @param status the HTTP status sent to the agent
 * @param streamed whether the response was an event stream
 * @param inputTokens tokens billed at the input price: cache reads and writes not included
 * @param cachedInputTokens tokens read from the prompt cache
 * @param cacheWriteTokens tokens written to the prompt cache
 * @param outputTokens output tokens, reasoning included
 * @param costUsd what the call cost the loop (0 for a refusal)
 * @param costSource {@code metered} (priced usage), {@code unpriced} (the model has no price: the
 *     reservation is charged), {@code unreported} (no usable usage: the reservation is charged),
 *     {@code refused} (not forwarded) or {@code free} (an unmetered endpoint, or an error the
 *     provider answered without usage)
 * @param reservedUsd the worst case reserved before forwarding (0 when nothing was reserved)
 * @param latencyMs from the request's arrival to the response's last byte
 * @param firstByteMs from the request's arrival to the response's first byte
 * @param startedAt when the request arrived
 * @param refusalRule {@code null}, or the rule that refused the call: {@code token}, {@code
 *     cost_cap}, {@code path}, {@code credential}, {@code size}, {@code tool_result}, {@code
 *     upstream}, {@code request}
 * @param refusal the message sent to the agent, or {@code null}
 */
public record ModelCall(
    String callId,
    String loopId,
    int iteration,
    String step,
    String attempt,
    ModelProvider provider,
    String model,
    String method,
    String path,
    int status,
    boolean streamed,
    long inputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long outputTokens,
    BigDecimal costUsd,
    String costSource,
    BigDecimal reservedUsd,
    long latencyMs,
    long firstByteMs,
    Instant startedAt,
    String refusalRule,
    String refusal) {}
