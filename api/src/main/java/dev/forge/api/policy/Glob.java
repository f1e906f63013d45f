package dev.forge.api.policy;

import java.util.regex.Pattern;

/** The operator's name patterns: {@code *} matches any run of characters, all else itself. */
final class Glob {

  private Glob() {}

  static boolean matches(String pattern, String text) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
  }
}
