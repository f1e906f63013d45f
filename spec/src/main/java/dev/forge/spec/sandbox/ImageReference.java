package dev.forge.spec.sandbox;

import dev.forge.spec.RuleException;
import dev.forge.spec.Shown;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks that an image reference is valid Docker syntax and pinned: {@code name:tag} with a tag
 * other than {@code latest}, or {@code name@sha256:<64 hex>}. An unpinned image can change under a
 * running loop; {@code latest} is refused even next to a digest, so no config suggests it is fine.
 * The forge.yml parser and the sandbox activity's re-check of every step both call {@link #check}.
 */
public final class ImageReference {

  private static final int MAX_LENGTH = 512;
  private static final int MAX_NAME_LENGTH = 255;
  private static final String DOMAIN_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?";
  private static final Pattern DOMAIN =
      Pattern.compile(DOMAIN_LABEL + "(?:\\." + DOMAIN_LABEL + ")*(?::[0-9]{1,5})?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final String SYNTAX = "must be a Docker image reference such as"
      + " forge/sandbox:0.1.0-bookworm (lower-case repository path, optional registry host:port,"
      + " tag of letters, digits, '_', '.' and '-')";
  private static final String PINNED = "must be pinned: name:tag with a tag other than latest, or"
      + " name@sha256:<64 hex digits>";

  private ImageReference() {}

  /**
   * Checks a reference.
   *
   * @return the reference, unchanged
   * @throws RuleException with rule {@code type}, {@code range} or {@code format} ({@code format}
   *     also for a reference that is not pinned)
   */
  public static String check(String text) {
    if (text == null) {
      throw new RuleException("type", "must be a string, got nothing (null)");
    }
    if (text.length() > MAX_LENGTH) {
      throw new RuleException("range", "must be at most " + MAX_LENGTH + " characters, got "
          + text.length());
    }
    String name = text;
    String digest = null;
    String tag = null;
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = name.substring(at + 1);
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.substring(colon + 1);
      name = name.substring(0, colon);
    }
    if (!validName(name) || tag != null && !TAG.matcher(tag).matches()) {
      throw new RuleException("format", SYNTAX + ", got " + Shown.value(text));
    }
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new RuleException("format", "must end in a digest of the form @sha256:<64 lower-case"
          + " hex digits>, got " + Shown.value(text));
    }
    if (tag != null && tag.toLowerCase(Locale.ROOT).equals("latest") || tag == null && digest == null) {
      throw new RuleException("format", PINNED + ", got " + Shown.value(text));
    }
    return text;
  }

  private static boolean validName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    String[] parts = name.split("/", -1);
    int first = 0;
    if (parts.length > 1 && isDomain(parts[0])) {
      if (!DOMAIN.matcher(parts[0]).matches()) {
        return false;
      }
      first = 1;
    }
    for (int i = first; i < parts.length; i++) {
      if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Docker reads the first component as a registry when it has a dot or a port, or is localhost. */
  private static boolean isDomain(String component) {
    return component.contains(".") || component.contains(":") || component.equals("localhost");
  }
}
