package dev.forge.workflows.loop;

import java.math.BigDecimal;

/**
 * How a loop ended (a failed loop fails its workflow instead and keeps its reason in {@link
 * LoopStatus}).
 *
 * @param state the terminal state
 * @param reason a sentence saying why
 * @param iterations iterations run
 * @param costUsd what the loop cost
 * @param finalCheckpointSha the commit holding the loop's last work tree
 */
public record LoopResult(
    LoopState state, String reason, int iterations, BigDecimal costUsd, String finalCheckpointSha) {}
