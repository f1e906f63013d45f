package dev.forge.cli;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's stand-in for {@code lead}'s authenticator app: the admin enrols {@code lead} for TOTP
 * step-up (an admin action, confirmed by a second request), and the secret Forge shows that once is
 * kept in memory only, for this run, to compute the code of the production gate's approval. A real
 * approver's code comes from their own authenticator; nothing here is written anywhere.
 */
final class DemoAuthenticator {

  private final byte[] secret;
  private final TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator();

  private DemoAuthenticator(byte[] secret) {
    this.secret = secret;
  }

  /** Enrols {@code user} as {@code admin} (re-enrolling replaces an earlier demo's secret). */
  static DemoAuthenticator enrol(ApiClient admin, String user) {
    Map<String, Object> body = Map.of("user", user);
    ApiClient.Response first = admin.post("api/totp/enrolments", body, Map.of());
    if (first.status() != 428) {
      throw new CliException("enrolling " + user + " for TOTP: Forge did not ask to confirm: "
          + first.problem());
    }
    ApiClient.Response enrolled = admin.post("api/totp/enrolments", body,
        Map.of("Forge-Confirmation", first.body().path("confirmation").asText()));
    if (!enrolled.ok()) {
      throw new CliException("enrolling " + user + " for TOTP failed: " + enrolled.problem());
    }
    return new DemoAuthenticator(base32(enrolled.body().get("secret").asText()));
  }

  String code() {
    try {
      return String.format("%06d", totp.generateOneTimePassword(
          new SecretKeySpec(secret, totp.getAlgorithm()), Instant.now()));
    } catch (InvalidKeyException e) {
      throw new CliException("the TOTP secret Forge returned is not usable: " + e.getMessage());
    }
  }

  private static byte[] base32(String text) {
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int index = 0;
    for (char c : text.toCharArray()) {
      buffer = (buffer << 5) | (c >= 'A' && c <= 'Z' ? c - 'A' : c - '2' + 26);
      bits += 5;
      if (bits >= 8) {
        out[index++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "DemoAuthenticator"; // never the secret
  }
}
