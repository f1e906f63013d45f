package dev.forge.activities.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forms a credential's value takes when a step tries to print it past redaction: the value and
 * the value reversed, each as it is, base64-encoded (at each of the three alignments a value can
 * have inside a longer encoded text; standard and URL-safe differ only in punctuation, which the
 * skeleton drops, and so does padding) and hex-encoded (lower and upper case), and each of those
 * reversed. Every form is given as its {@linkplain SkeletonText skeleton}: spacing, line breaks
 * and percent-encoding are undone on the text side.
 *
 * <p>Only values with at least {@link #MIN_LETTERS_AND_DIGITS} letters and digits get these forms:
 * the skeleton of a shorter value is common in ordinary output, so masking it everywhere would
 * mask the output itself. Shorter values are masked where they appear verbatim only.
 */
final class CredentialForms {

  static final int MIN_LETTERS_AND_DIGITS = 8;

  private CredentialForms() {}

  static boolean covers(String value) {
    return SkeletonText.lettersAndDigits(value).length() >= MIN_LETTERS_AND_DIGITS;
  }

  /** The skeletons to search for; empty when the value is too short to be searched in forms. */
  static Set<String> of(String value) {
    Set<String> forms = new LinkedHashSet<>();
    if (!covers(value)) {
      return forms;
    }
    for (String text : new String[] {value, reversed(value)}) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      forms.add(text);
      for (int alignment = 0; alignment < 3; alignment++) {
        forms.add(base64Core(bytes, alignment));
      }
      String hex = HexFormat.of().formatHex(bytes);
      forms.add(hex);
      forms.add(hex.toUpperCase(java.util.Locale.ROOT));
    }
    Set<String> withReversals = new LinkedHashSet<>();
    for (String form : forms) {
      String skeleton = SkeletonText.lettersAndDigits(form);
      if (skeleton.length() >= MIN_LETTERS_AND_DIGITS) {
        withReversals.add(skeleton);
        withReversals.add(reversed(skeleton));
      }
    }
    return withReversals;
  }

  /**
   * The base64 characters that depend on the value's bytes only when the value starts {@code
   * alignment} bytes into a 3-byte group: whatever surrounds it, an encoded text holding the value
   * holds these characters.
   */
  static String base64Core(byte[] bytes, int alignment) {
    byte[] shifted = new byte[alignment + bytes.length];
    System.arraycopy(bytes, 0, shifted, alignment, bytes.length);
    String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
    int from = (8 * alignment + 5) / 6;
    int to = 8 * shifted.length / 6;
    return from >= to ? "" : encoded.substring(from, to);
  }

  private static String reversed(String text) {
    return new StringBuilder(text).reverse().toString();
  }
}
