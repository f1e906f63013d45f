package dev.forge.audit;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One model call the gateway forwarded or refused, as the {@link ModelCallLedger} keeps it.
 *
 * @param callId the gateway's id of the call; recording it again changes nothing
 * @param attempt the activity attempt (run id and attempt number) that made it
 * @param costSource {@code metered} (priced from the provider's usage), {@code unpriced} or {@code
 *     unreported} (charged the call's worst case), {@code refused} or {@code free}
 * @param reservedUsd the worst case the gateway reserved against the loop's budget before forwarding
 * @param refusalRule why the gateway refused the call, or {@code null}
 */
public record ModelCallEntry(
    UUID callId,
    String loopId,
    int iteration,
    String step,
    String attempt,
    String provider,
    String model,
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
    String refusalRule) {}
