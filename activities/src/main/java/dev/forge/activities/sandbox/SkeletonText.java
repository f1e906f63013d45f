package dev.forge.activities.sandbox;

/**
 * The letters and digits of a text, in order, each with where it starts in the text: what is left
 * of a credential when someone spaces it out, splits it across lines or percent-encodes it. A
 * {@code %XX} escape counts as the character it encodes, so {@code %73k} reads as {@code sk}; every
 * other character (white space, punctuation, control and invisible characters) is skipped.
 *
 * <p>Built in one pass; holds two arrays as long as the letters and digits of the text.
 */
final class SkeletonText {

  private final String text;
  private final char[] chars;
  private final int[] starts;
  private final int length;

  private SkeletonText(String text, char[] chars, int[] starts, int length) {
    this.text = text;
    this.chars = chars;
    this.starts = starts;
    this.length = length;
  }

  static SkeletonText of(String text) {
    char[] chars = new char[text.length()];
    int[] starts = new int[text.length()];
    int n = 0;
    int i = 0;
    while (i < text.length()) {
      int escaped = escapedAt(text, i);
      char c = escaped >= 0 ? (char) escaped : text.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        chars[n] = c;
        starts[n] = i;
        n++;
      }
      i += escaped >= 0 ? 3 : 1;
    }
    return new SkeletonText(text, chars, starts, n);
  }

  /** The letters and digits of {@code value}, the form a credential is searched for in. */
  static String lettersAndDigits(CharSequence value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      if (Character.isLetterOrDigit(value.charAt(i))) {
        out.append(value.charAt(i));
      }
    }
    return out.toString();
  }

  int length() {
    return length;
  }

  char charAt(int index) {
    return chars[index];
  }

  /** Where the {@code index}-th letter or digit starts in the text. */
  int start(int index) {
    return starts[index];
  }

  /** Where the {@code index}-th letter or digit ends in the text (after its escape, if any). */
  int end(int index) {
    int start = starts[index];
    return escapedAt(text, start) >= 0 ? start + 3 : start + 1;
  }

  /** Whether the skeleton holds {@code part} at {@code index}. */
  boolean regionMatches(int index, String part) {
    if (index < 0 || index + part.length() > length) {
      return false;
    }
    for (int k = 0; k < part.length(); k++) {
      if (chars[index + k] != part.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** The ASCII character a {@code %XX} escape at {@code i} encodes, or -1 if there is none. */
  private static int escapedAt(String text, int i) {
    if (text.charAt(i) != '%' || i + 2 >= text.length()) {
      return -1;
    }
    int high = Character.digit(text.charAt(i + 1), 16);
    int low = Character.digit(text.charAt(i + 2), 16);
    return high < 0 || low < 0 || high > 7 ? -1 : high * 16 + low;
  }
}
