package dev.forge.activities.workspace;

import java.util.regex.Pattern;

/** Full git object names: 40 hex digits (SHA-1) or 64 (SHA-256), lower case. */
final class ObjectIds {

  private static final Pattern FULL = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private ObjectIds() {}

  static boolean isFull(String candidate) {
    return candidate != null && FULL.matcher(candidate).matches();
  }

  /** Checks what git printed where an object name was expected. */
  static String fromGit(String output, String what) {
    String id = output.strip();
    if (!isFull(id)) {
      throw new IllegalStateException("git printed '" + id + "' where " + what + " was expected");
    }
    return id;
  }
}
