package dev.forge.activities.sandbox.gateway;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * One attempt of a step, open on the gateway: the random token its proxy adds to every model call
 * (the only way a call is tied to a loop), its binding, and its budget. Closing it refuses the
 * token from then on and waits for the calls in flight to be recorded.
 */
public final class StepGrant implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final String token;
  private final StepBinding binding;
  private final CostLedger ledger;
  private final Runnable onClose;
  private int inFlight;
  private boolean closed;

  StepGrant(StepBinding binding, Runnable onClose) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    this.binding = binding;
    this.ledger = new CostLedger(binding.budgetUsd());
    this.onClose = onClose;
  }

  /** The token the step's proxy sends in {@link dev.forge.activities.sandbox.egress.ModelRoute}. */
  public String token() {
    return token;
  }

  public StepBinding binding() {
    return binding;
  }

  CostLedger ledger() {
    return ledger;
  }

  /** A call arrived: false once the grant is closed. */
  synchronized boolean begin() {
    if (closed) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** A call was recorded. */
  synchronized void end() {
    inFlight--;
    notifyAll();
  }

  /** Refuses new calls and waits (at most 30 s) until those in flight are recorded. */
  @Override
  public void close() {
    onClose.run();
    synchronized (this) {
      closed = true;
      long deadline = System.nanoTime() + DRAIN.toNanos();
      boolean interrupted = false;
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "StepGrant[" + binding.loopId() + "/" + binding.iteration() + "/" + binding.step() + "]";
  }
}
