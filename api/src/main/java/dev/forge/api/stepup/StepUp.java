package dev.forge.api.stepup;

import dev.forge.api.problems.ApiException;
import dev.forge.api.security.FailureLockout;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step-up authentication for approvals: a user's TOTP code is checked against their enrolment
 * before the decision goes to the workflow. A code works once (a later code, not the same one, is
 * needed for the next approval), and is spent only by an approval the workflow accepts; wrong and replayed codes count against the user, who is locked
 * out of step-up for a while after too many (429 with Retry-After).
 */
public final class StepUp {

  private static final Logger log = LoggerFactory.getLogger(StepUp.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int SECRET_BYTES = 20;

  private final TotpEnrolments enrolments;
  private final SecretBox box;
  private final TotpCodes codes = new TotpCodes();
  private final FailureLockout lockout;
  private final Clock clock;
  /** One lock per user with a step-up approval in flight (bounded by the enrolled users). */
  private final ConcurrentHashMap<String, ReentrantLock> inFlight = new ConcurrentHashMap<>();

  StepUp(TotpEnrolments enrolments, SecretBox box, FailureLockout lockout, Clock clock) {
    this.enrolments = enrolments;
    this.box = box;
    this.lockout = lockout;
    this.clock = clock;
  }

  /** A new enrolment of {@code user}: the secret, returned this once, and stored only sealed. */
  public Enrolment enrol(String user, String by) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    try {
      enrolments.enrol(user, box.seal(secret, user), by);
      return new Enrolment(user, Base32.encode(secret));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Runs {@code approval} if {@code code} is a valid, unused code of {@code user}, and spends the
   * code only when {@code approval} returns: an approval refused for another reason (it throws: a
   * stale checkpoint, self-approval, not an approver, a second vote, a missing field) leaves the
   * code usable for the next, valid approval. The user's step-up approvals run one at a time in
   * this process while the code is checked, decided on and spent, so one code cannot pass two
   * approvals that race each other.
   *
   * @throws ApiException 403 when the user is not enrolled, the code is wrong or was used already;
   *     429 while the user is locked out
   */
  public <T> T approveWith(String user, String code, Supplier<T> approval) {
    ReentrantLock lock = inFlight.computeIfAbsent(user, u -> new ReentrantLock());
    lock.lock();
    try {
      long step = validStep(user, code);
      T accepted = approval.get();
      if (!enrolments.use(user, step)) {
        // Only another Forge process sharing the database can have spent it meanwhile.
        log.warn("the TOTP step {} of {} was spent elsewhere while this approval was decided",
            step, user);
      }
      return accepted;
    } finally {
      lock.unlock();
    }
  }

  /** The time step {@code code} is the code of, when it is valid and unused; throws otherwise. */
  private long validStep(String user, String code) {
    Duration locked = lockout.lockedFor(user);
    if (!locked.isZero()) {
      throw ApiException.tooManyRequests("too many wrong TOTP codes for " + user + "; step-up"
          + " is locked for " + Math.max(1, locked.toSeconds()) + " s", locked);
    }
    Optional<TotpEnrolments.Stored> stored = enrolments.find(user);
    if (stored.isEmpty()) {
      throw ApiException.forbidden("this gate needs a TOTP code, and " + user + " has no TOTP"
          + " enrolment; an admin enrols you with POST /api/totp/enrolments");
    }
    byte[] secret = box.open(stored.get().sealedSecret(), user);
    long step;
    try {
      step = codes.matchingStep(secret, code, clock.instant());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    if (step < 0) {
      throw failed(user, "the TOTP code is wrong (or the authenticator's clock is more than 30 s"
          + " off)");
    }
    if (step <= stored.get().lastUsedStep()) {
      throw failed(user, "this TOTP code was used already; wait for the next code");
    }
    return step;
  }

  private ApiException failed(String user, String why) {
    if (lockout.recordFailure(user)) {
      return ApiException.tooManyRequests(why + "; too many wrong codes: step-up for " + user
          + " is locked for " + lockout.lockedFor(user).toSeconds() + " s", lockout.lockedFor(user));
    }
    return ApiException.forbidden(why);
  }

  /** The secret of a new enrolment, with the otpauth URI authenticator apps read. */
  public record Enrolment(String user, String secret) {

    public String otpauthUri(String issuer) {
      String label = java.net.URLEncoder.encode(issuer + ":" + user,
          java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
      return "otpauth://totp/" + label + "?secret=" + secret + "&issuer="
          + java.net.URLEncoder.encode(issuer, java.nio.charset.StandardCharsets.UTF_8)
          + "&algorithm=SHA1&digits=" + TotpCodes.DIGITS + "&period=" + TotpCodes.STEP.getSeconds();
    }

    @Override
    public String toString() {
      return "Enrolment[user=" + user + "]"; // never the secret
    }
  }
}
