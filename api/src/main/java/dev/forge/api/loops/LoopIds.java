package dev.forge.api.loops;

import dev.forge.api.problems.ApiException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Loop ids: {@code loop-} and ten random lower-case letters and digits. */
final class LoopIds {

  private static final Pattern VALID = Pattern.compile("loop-[a-z0-9]{10}");
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private LoopIds() {}

  static String next() {
    StringBuilder id = new StringBuilder("loop-");
    for (int i = 0; i < 10; i++) {
      id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }

  /** Refuses, as not found, anything that cannot be a loop id, before it reaches Temporal. */
  static String require(String id) {
    if (id == null || !VALID.matcher(id).matches()) {
      throw ApiException.notFound("there is no loop '" + printable(id)
          + "'; loop ids look like loop-abc123def4");
    }
    return id;
  }

  private static String printable(String id) {
    if (id == null) {
      return "";
    }
    String cut = id.length() > 40 ? id.substring(0, 40) + "…" : id;
    return cut.replaceAll("[^A-Za-z0-9._-]", "?");
  }
}
