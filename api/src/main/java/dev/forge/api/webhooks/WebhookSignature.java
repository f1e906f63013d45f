package dev.forge.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Forge's webhook signature scheme. A delivery carries two headers:
 *
 * <pre>
 * Forge-Delivery: &lt;id: 8 to 128 of A-Z a-z 0-9 . _ -&gt;
 * Forge-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;
 * </pre>
 *
 * where the HMAC, keyed with the source's secret, is over the bytes of {@code
 * "<t>.<delivery id>."} followed by the raw request body. Signing the timestamp and the delivery
 * id with the body means neither can be changed to make a captured delivery look fresh or new.
 * Several {@code v1=} values may be given (a sender rotating its secret); one must match. Every
 * comparison is constant-time ({@link MessageDigest#isEqual}).
 */
final class WebhookSignature {

  static final String SIGNATURE_HEADER = "Forge-Signature";
  static final String DELIVERY_HEADER = "Forge-Delivery";
  static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9._-]{8,128}");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int MAX_HEADER = 1024;
  private static final int MAX_SIGNATURES = 4;
  private static final String ALGORITHM = "HmacSHA256";

  private WebhookSignature() {}

  /** The parts of a well-formed pair of headers. */
  record Signed(long timestamp, String delivery, List<byte[]> signatures) {}

  /**
   * Reads the headers; empty when either is missing or malformed (the delivery is then unsigned).
   */
  static Optional<Signed> parse(String signature, String delivery) {
    if (signature == null || delivery == null || signature.length() > MAX_HEADER
        || !DELIVERY.matcher(delivery).matches()) {
      return Optional.empty();
    }
    Long timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : signature.split(",", -1)) {
      String item = part.strip();
      if (item.startsWith("t=") && timestamp == null && TIMESTAMP.matcher(item.substring(2)).matches()) {
        timestamp = Long.parseLong(item.substring(2));
      } else if (item.startsWith("v1=") && HEX_SHA256.matcher(item.substring(3)).matches()) {
        if (signatures.size() == MAX_SIGNATURES) {
          return Optional.empty();
        }
        signatures.add(HexFormat.of().parseHex(item.substring(3).toLowerCase(java.util.Locale.ROOT)));
      } else if (!item.matches("[a-z0-9]{1,8}=[^,]{0,200}")) {
        // Other schemes (v2=...) are ignored, as a later sender may add them; junk is not.
        return Optional.empty();
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Signed(timestamp, delivery, List.copyOf(signatures)));
  }

  /** The HMAC-SHA256 of {@code "<t>.<delivery>."} and the body, keyed with {@code secret}. */
  static byte[] hmac(byte[] secret, long timestamp, String delivery, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      mac.update((timestamp + "." + delivery + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * Whether one of the delivery's signatures is the HMAC of its timestamp, id and body; every
   * signature is compared, in constant time, whatever the outcome.
   */
  static boolean verifies(Signed signed, byte[] secret, byte[] body) {
    byte[] expected = hmac(secret, signed.timestamp(), signed.delivery(), body);
    boolean match = false;
    for (byte[] given : signed.signatures()) {
      match |= MessageDigest.isEqual(expected, given);
    }
    return match;
  }

  /** Whether the timestamp lies within {@code tolerance} of {@code now}, either way. */
  static boolean fresh(long timestamp, Instant now, Duration tolerance) {
    long skew = Math.abs(now.getEpochSecond() - timestamp);
    return skew <= tolerance.toSeconds();
  }

  /** The {@code Forge-Signature} header a sender sends: for tests and the example in docs/api.md. */
  static String header(byte[] secret, long timestamp, String delivery, byte[] body) {
    return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac(secret, timestamp, delivery, body));
  }
}
