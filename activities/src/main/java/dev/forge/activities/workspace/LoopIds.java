package dev.forge.activities.workspace;

import java.util.regex.Pattern;

/**
 * Loop ids become a branch name, a directory name and part of git's worktree bookkeeping, so only a
 * small alphabet is accepted: it cannot start with {@code -}, hold a path separator or a dot.
 */
final class LoopIds {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{2,62}");

  private LoopIds() {}

  static boolean isValid(String loopId) {
    return loopId != null && VALID.matcher(loopId).matches();
  }

  static String requireValid(String loopId) {
    if (loopId == null || !VALID.matcher(loopId).matches()) {
      throw WorkspaceFailures.invalidLoopId(
          "loop id '"
              + loopId
              + "' is not valid: use 3 to 63 characters from a-z, 0-9 and '-', starting with a"
              + " letter or digit");
    }
    return loopId;
  }
}
