package dev.forge.activities.workspace;

import dev.forge.spec.loop.LoopId;

/**
 * Loop ids become a branch name, a directory name and part of git's worktree bookkeeping, so only a
 * small alphabet is accepted: it cannot start with {@code -}, hold a path separator or a dot.
 */
final class LoopIds {

  private LoopIds() {}

  static boolean isValid(String loopId) {
    return LoopId.isSafe(loopId);
  }

  static String requireValid(String loopId) {
    if (!LoopId.isSafe(loopId)) {
      throw WorkspaceFailures.invalidLoopId(
          "loop id '"
              + loopId
              + "' is not valid: use "
              + LoopId.safeForm());
    }
    return loopId;
  }
}
