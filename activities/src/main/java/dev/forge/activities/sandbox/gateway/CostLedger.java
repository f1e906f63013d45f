package dev.forge.activities.sandbox.gateway;

import dev.forge.activities.sandbox.usage.PriceTable.Price;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One step's budget: {@code remaining = budget - spent - reserved}, all under one lock, so that
 * {@code spent <= budget} holds whatever calls run at once.
 *
 * <p>Before a call is forwarded its worst case is reserved: the input bounded by {@code
 * (requestBytes + 1024)} tokens at the dearer of the input and cache-write prices, and the output
 * limit at the output price. A token is never shorter than one byte of the UTF-8 JSON body that
 * carries it, so the body's length bounds the prompt's tokens; the 1024 cover what the provider
 * adds around it (the tool-use system prompt, message framing). When the output limit does not fit
 * it is lowered to the largest that does; when not one output token fits the call is refused.
 * After the response, the reservation is released and the call's cost, at most the reservation,
 * is added.
 */
final class CostLedger {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  static final long INPUT_ALLOWANCE = 1024;

  private final BigDecimal budget;
  private BigDecimal spent = BigDecimal.ZERO;
  private BigDecimal reserved = BigDecimal.ZERO;
  private int calls;

  CostLedger(BigDecimal budget) {
    this.budget = budget;
  }

  /** A reservation held for one call in flight; {@code maxOutput} is the limit to forward. */
  record Reservation(BigDecimal amount, long maxOutput) {}

  /**
   * Reserves the worst case of a call, lowering its output limit to what fits.
   *
   * @param requestBytes the forwarded body's length
   * @param price the model's price, or the table's most expensive for an unpriced model
   * @param requestedMaxOutput the call's own output limit, if it names one
   * @param defaultMaxOutput the limit of a call that names none
   * @param choices how many outputs the call asks for (Chat's {@code n}), at least 1
   * @return the reservation, or empty when not one output token fits
   */
  synchronized Optional<Reservation> reserve(long requestBytes, Price price,
      OptionalLong requestedMaxOutput, long defaultMaxOutput, int choices) {
    BigDecimal remaining = budget.subtract(spent).subtract(reserved);
    BigDecimal input = BigDecimal.valueOf(requestBytes + INPUT_ALLOWANCE)
        .multiply(price.input().max(price.cacheWrite())).divide(MILLION);
    BigDecimal perToken = price.output().multiply(BigDecimal.valueOf(Math.max(1, choices)))
        .divide(MILLION);
    long wanted = requestedMaxOutput.orElse(defaultMaxOutput);
    long fits = perToken.signum() == 0 ? Long.MAX_VALUE
        : remaining.subtract(input).divide(perToken, 0, RoundingMode.FLOOR)
            .max(BigDecimal.ZERO).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
    long maxOutput = Math.min(wanted, fits);
    if (maxOutput < 1 || input.compareTo(remaining) > 0) {
      return Optional.empty();
    }
    BigDecimal amount = input.add(perToken.multiply(BigDecimal.valueOf(maxOutput)));
    reserved = reserved.add(amount);
    return Optional.of(new Reservation(amount, maxOutput));
  }

  /**
   * Ends a call: releases its reservation and adds its cost, at most the reservation.
   *
   * @return the cost charged
   */
  synchronized BigDecimal settle(Reservation reservation, BigDecimal cost) {
    BigDecimal charged = cost.min(reservation.amount()).max(BigDecimal.ZERO);
    reserved = reserved.subtract(reservation.amount());
    spent = spent.add(charged);
    calls++;
    return charged;
  }

  /** What the remaining budget is after spending and reservations, for refusal messages. */
  synchronized BigDecimal remaining() {
    return budget.subtract(spent).subtract(reserved);
  }

  synchronized BigDecimal spent() {
    return spent;
  }

  synchronized BigDecimal reserved() {
    return reserved;
  }

  synchronized int calls() {
    return calls;
  }
}
