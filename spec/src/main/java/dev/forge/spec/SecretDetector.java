package dev.forge.spec;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises text that looks like a literal credential, so that forge.yml can refuse it.
 *
 * <p>Two kinds of evidence count. A well-known token shape (an Anthropic or OpenAI key, a GitHub,
 * GitLab, Slack, npm or Hugging Face token, an AWS access key id, a PEM private key, a JWT) is
 * enough on its own. Anything else needs context: a value after a secret-sounding key ({@code
 * api_key=...}, {@code "token": ...}), after a secret-sounding flag ({@code --api-key ...}), after
 * {@code Bearer}, or a password in a URL, and the value must be long and random-looking. A long
 * random string without such context is not reported: image digests, commit ids and checksums are
 * long and random too.
 *
 * <p>Every check is linear in the length of the text (bounded quantifiers, no nested ones), so a
 * hostile input cannot make the scan slow.
 */
public final class SecretDetector {

  /** Anthropic (sk-ant-...), OpenAI (sk-..., sk-proj-...) and look-alikes; needs letters and digits. */
  private static final Pattern SK_KEY = Pattern.compile("(?<![A-Za-z0-9])sk-([A-Za-z0-9_-]{20,200})");

  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("(?<![A-Za-z0-9])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30}"),
      Pattern.compile("(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20}"),
      Pattern.compile("(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20}"),
      Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])"),
      Pattern.compile("(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10}"),
      Pattern.compile("(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16}"),
      Pattern.compile("(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}"),
      Pattern.compile("(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}"),
      Pattern.compile("(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30}"),
      Pattern.compile("-----BEGIN[A-Z ]{0,40} PRIVATE KEY-----"),
      Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,512}\\.eyJ[A-Za-z0-9_-]{8}"));

  /** Words that make the value next to them a credential. */
  private static final List<String> SECRET_WORDS = List.of(
      "key", "token", "secret", "password", "passwd", "pwd", "credential", "auth");

  private static final int MIN_TOKEN_LENGTH = 16;
  /** How far a value or a URL authority is read; bounds the work per separator. */
  private static final int MAX_LOOKAHEAD = 512;
  private static final double MIN_TOKEN_ENTROPY = 3.5;

  private SecretDetector() {}

  /** Whether the text holds something that looks like a literal credential. */
  public static boolean looksLikeSecret(String text) {
    if (text == null || text.length() < 8) {
      return false;
    }
    for (Pattern shape : SHAPES) {
      if (shape.matcher(text).find()) {
        return true;
      }
    }
    return hasSkKey(text) || hasSecretAssignment(text) || hasSecretAfterFlag(text) || hasUrlPassword(text);
  }

  /**
   * The text with every match of a known credential shape ({@code sk-...} keys, GitHub, GitLab,
   * AWS, Slack, Stripe, Google, npm, Hugging Face tokens, private key headers, JWTs) replaced by
   * {@code [REDACTED]}: for text Forge records that a model or an agent wrote.
   */
  public static String redactShapes(String text) {
    if (text == null || text.length() < 8) {
      return text;
    }
    String out = SK_KEY.matcher(text).replaceAll("[REDACTED]");
    for (Pattern shape : SHAPES) {
      out = shape.matcher(out).replaceAll("[REDACTED]");
    }
    return out;
  }

  /** Whether a word such as {@code --api-key} or {@code -token} announces a secret as next word. */
  public static boolean isSecretFlag(String word) {
    if (word.length() < 2 || word.length() > 64 || word.charAt(0) != '-') {
      return false;
    }
    String name = word.substring(word.charAt(1) == '-' ? 2 : 1);
    return name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')
        && namesSecret(name);
  }

  /**
   * Whether a value on its own looks like a random credential: at least 16 characters, no space,
   * not a reference ({@code $VAR}, {@code {prompt}}) or a path, two or more character classes and
   * high entropy. Used only where the context already suggests a secret.
   */
  public static boolean looksLikeToken(String value) {
    if (value.length() < MIN_TOKEN_LENGTH || value.length() > 8192) {
      return false;
    }
    char first = value.charAt(0);
    if ("${%</.~".indexOf(first) >= 0 || value.contains("{") || value.contains("}")) {
      return false;
    }
    boolean lower = false;
    boolean upper = false;
    boolean digit = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        return false;
      }
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
      digit |= c >= '0' && c <= '9';
    }
    int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0);
    return classes >= 2 && entropy(value) >= MIN_TOKEN_ENTROPY;
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String text) {
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double bits = 0;
    double length = text.length();
    for (int count : counts) {
      if (count > 0) {
        double p = count / length;
        bits -= p * Math.log(p) / Math.log(2);
      }
    }
    if (other > 0) {
      double p = other / length;
      bits -= p * Math.log(p) / Math.log(2);
    }
    return bits;
  }

  private static boolean namesSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasSkKey(String text) {
    Matcher m = SK_KEY.matcher(text);
    while (m.find()) {
      String body = m.group(1);
      if (body.chars().anyMatch(Character::isDigit) && body.chars().anyMatch(Character::isLetter)) {
        return true;
      }
    }
    return false;
  }

  /** {@code api_key=VALUE}, {@code token: VALUE}, {@code "secret":"VALUE"}. */
  private static boolean hasSecretAssignment(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int valueStart;
      int keyEnd = i;
      if (c == '=') {
        valueStart = i + 1;
      } else if (c == ':' && i + 1 < text.length() && Character.isWhitespace(text.charAt(i + 1))) {
        valueStart = i + 1;
      } else if (c == ':' && i > 0 && (text.charAt(i - 1) == '"' || text.charAt(i - 1) == '\'')) {
        valueStart = i + 1;
        keyEnd = i - 1;
      } else {
        continue;
      }
      String key = wordBefore(text, keyEnd);
      if (!key.isEmpty() && namesSecret(key) && looksLikeToken(wordAfter(text, valueStart))) {
        return true;
      }
    }
    return false;
  }

  /** {@code --api-key VALUE} and {@code Bearer VALUE} inside one string. */
  private static boolean hasSecretAfterFlag(String text) {
    String[] words = text.trim().split("\\s+", 4096);
    for (int i = 0; i + 1 < words.length; i++) {
      boolean announces = isSecretFlag(words[i]) || words[i].equalsIgnoreCase("bearer");
      if (announces && looksLikeToken(unquote(words[i + 1]))) {
        return true;
      }
    }
    return false;
  }

  /** {@code scheme://user:password@host}, unless the password is a {@code $VARIABLE}. */
  private static boolean hasUrlPassword(String text) {
    int from = 0;
    int scheme;
    while ((scheme = text.indexOf("://", from)) >= 0) {
      int start = scheme + 3;
      int limit = Math.min(text.length(), start + MAX_LOOKAHEAD);
      int colon = -1;
      int end = start;
      while (end < limit && "/@ \t\n?#".indexOf(text.charAt(end)) < 0) {
        if (colon < 0 && text.charAt(end) == ':') {
          colon = end;
        }
        end++;
      }
      boolean userInfo = end < limit && text.charAt(end) == '@';
      if (userInfo && colon >= 0 && colon < end - 1 && text.charAt(colon + 1) != '$') {
        return true;
      }
      from = start;
    }
    return false;
  }

  private static String wordBefore(String text, int end) {
    int start = end;
    while (start > 0 && end - start < 64 && isKeyChar(text.charAt(start - 1))) {
      start--;
    }
    return text.substring(start, end);
  }

  private static String wordAfter(String text, int start) {
    int from = start;
    int skipLimit = Math.min(text.length(), start + 8);
    while (from < skipLimit && (text.charAt(from) == ' ' || text.charAt(from) == '"'
        || text.charAt(from) == '\'')) {
      from++;
    }
    int end = from;
    int limit = Math.min(text.length(), from + MAX_LOOKAHEAD);
    // A backslash ends the value too: no credential format uses one, and text escaped for JSON
    // (an agent's JSON Lines output in a step's result) writes its line breaks as \n.
    while (end < limit && " \t\r\n\"',;&=\\".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    return text.substring(from, end);
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
  }

  private static String unquote(String word) {
    String result = word;
    if (result.length() > 1 && (result.startsWith("\"") || result.startsWith("'"))) {
      result = result.substring(1);
    }
    if (result.length() > 1 && (result.endsWith("\"") || result.endsWith("'"))) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}
