package dev.forge.activities.sandbox.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns captured output bytes into text that is safe to store: cut edges do not produce broken
 * characters, and NUL (which Postgres {@code jsonb} rejects) becomes U+FFFD.
 */
public final class Utf8Text {

  private Utf8Text() {}

  public static String decode(byte[] bytes) {
    return clean(new String(bytes, StandardCharsets.UTF_8));
  }

  /** Decodes bytes that were cut at their end, dropping a character split by the cut. */
  public static String decodeHead(byte[] bytes) {
    return decode(Arrays.copyOf(bytes, completeLength(bytes)));
  }

  /** Decodes bytes that were cut at their start, dropping a character split by the cut. */
  public static String decodeTail(byte[] bytes) {
    int start = 0;
    while (start < bytes.length && start < 3 && isContinuation(bytes[start])) {
      start++;
    }
    return decode(Arrays.copyOfRange(bytes, start, bytes.length));
  }

  private static int completeLength(byte[] bytes) {
    // Look back at most three bytes for the lead byte of the last character.
    for (int back = 1; back <= Math.min(4, bytes.length); back++) {
      int b = bytes[bytes.length - back] & 0xFF;
      if (isContinuation((byte) b)) {
        continue;
      }
      int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return needed > back ? bytes.length - back : bytes.length;
    }
    return bytes.length;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static String clean(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
  }
}
