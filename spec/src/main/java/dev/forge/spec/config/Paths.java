package dev.forge.spec.config;

import dev.forge.spec.Shown;
import dev.forge.spec.SecretDetector;

import java.util.regex.Pattern;

/** Builds the dotted field paths errors are reported under: {@code loop.checks[1][0]}. */
final class Paths {

  /** The field of errors about the document as a whole (syntax, size, not a mapping). */
  static final String DOCUMENT = "forge.yml";

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Paths() {}

  /**
   * The path of {@code key} under {@code parent} ({@code ""} for the top level). A key that is not a
   * plain word is quoted in brackets, and one that looks like a secret is not repeated at all.
   */
  static String key(String parent, Object key) {
    String name = String.valueOf(key);
    String segment;
    if (SecretDetector.looksLikeSecret(name)) {
      segment = "[<redacted>]";
    } else if (PLAIN_KEY.matcher(name).matches()) {
      segment = name;
    } else {
      segment = "[" + Shown.quoted(name) + "]";
    }
    if (parent.isEmpty()) {
      return segment;
    }
    return segment.startsWith("[") ? parent + segment : parent + "." + segment;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
