package dev.forge.api.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokens an admin creates: {@code fgt_<id>_<secret>}, where the id is 12 lower-case letters and
 * digits (public: it names the token in lists, audit entries and revocations) and the secret is 32
 * random bytes, base64url. Only the SHA-256 of the whole token is stored; a secret of 256 random
 * bits needs no slow hash, as there is nothing to guess from its hash.
 */
public final class TokenFormat {

  private static final Pattern TOKEN = Pattern.compile("fgt_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
  private static final Pattern ID = Pattern.compile("[a-z0-9]{12}");
  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenFormat() {}

  /** The token id, when the text has the shape of a created token. */
  public static Optional<String> idOf(String token) {
    Matcher m = TOKEN.matcher(token);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  public static boolean isId(String text) {
    return text != null && ID.matcher(text).matches();
  }

  static String newId() {
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }

  static String newToken(String id) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return "fgt_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** SHA-256 of the token's UTF-8 bytes. */
  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
