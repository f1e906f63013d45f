package dev.forge.api.stepup;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 codes (HMAC-SHA1, 6 digits, 30-second steps: what authenticator apps use), computed by
 * java-otp. A code is checked against the current step and one step either side (clock skew), in
 * constant time; the step it matched is returned so that it can be used only once.
 */
final class TotpCodes {

  static final Duration STEP = Duration.ofSeconds(30);
  static final int DIGITS = 6;
  /** Steps accepted either side of the current one. */
  static final int SKEW = 1;

  private final TimeBasedOneTimePasswordGenerator totp =
      new TimeBasedOneTimePasswordGenerator(STEP, DIGITS,
          TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

  static long step(Instant at) {
    return at.getEpochSecond() / STEP.getSeconds();
  }

  String code(byte[] secret, long step) {
    try {
      return String.format("%06d", totp.generateOneTimePassword(
          new SecretKeySpec(secret, totp.getAlgorithm()), Instant.ofEpochSecond(step * STEP.getSeconds())));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("a TOTP secret is not a usable HMAC key", e);
    }
  }

  /** The step within the skew window whose code {@code code} is, or -1 when none matches. */
  long matchingStep(byte[] secret, String code, Instant now) {
    byte[] given = code.getBytes(StandardCharsets.US_ASCII);
    long current = step(now);
    long matched = -1;
    for (long s = current - SKEW; s <= current + SKEW; s++) {
      // every step is computed and compared, whether or not an earlier one matched
      if (MessageDigest.isEqual(given, code(secret, s).getBytes(StandardCharsets.US_ASCII))) {
        matched = s;
      }
    }
    return matched;
  }
}
