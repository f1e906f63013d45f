package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

import java.math.BigDecimal;

/** Decides, before each iteration, whether a limit stops the loop. Pure: no workflow calls. */
final class LoopLimits {

  private LoopLimits() {}

  /**
   * @param config the loop's configuration
   * @param costCapUsd the cap in force (the configured one, or an approver's raise)
   * @param iterationsRun iterations already run
   * @param spentUsd cost so far
   * @param elapsedMillis time since the loop started
   * @return the stop, or {@code null} when another iteration may start
   */
  static Stop check(LoopConfig config, BigDecimal costCapUsd, int iterationsRun,
      BigDecimal spentUsd, long elapsedMillis) {
    if (spentUsd.compareTo(costCapUsd) >= 0) {
      return new Stop(
          LoopState.COST_CAP_REACHED,
          "spent $" + spentUsd.toPlainString() + " of the $" + costCapUsd.toPlainString()
              + " cost cap after " + iterationsRun + " iteration(s)");
    }
    if (iterationsRun >= config.maxIterations()) {
      return new Stop(
          LoopState.MAX_ITERATIONS,
          "ran the maximum of " + config.maxIterations() + " iteration(s) without meeting the goal");
    }
    if (elapsedMillis >= config.maxRuntimeSeconds() * 1000) {
      return new Stop(
          LoopState.MAX_RUNTIME,
          "ran for " + elapsedMillis / 1000 + " s, the maximum runtime is "
              + config.maxRuntimeSeconds() + " s");
    }
    return null;
  }
}
