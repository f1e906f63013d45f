package dev.forge.spec.config;

import dev.forge.spec.Shown;

/**
 * Checks the shape of {@code loop.prompt_file}: a relative path inside the repository. The caller
 * still resolves it against the repository (and its symlinks) before reading it.
 */
final class PromptFile {

  static final int MAX_LENGTH = 255;

  private PromptFile() {}

  static String check(Issues issues, String path, Object value) {
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    String problem = problem(text);
    if (problem != null) {
      issues.add(path, "path", problem + ", got " + Shown.value(text));
      return null;
    }
    if (text.length() > MAX_LENGTH) {
      issues.add(path, "range", "must be at most " + MAX_LENGTH + " characters, got " + text.length());
      return null;
    }
    return text;
  }

  private static String problem(String text) {
    if (text.isBlank()) {
      return "must name a file in the repository, e.g. PROMPT.md";
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return "must not contain NUL or other control characters";
      }
    }
    if (text.indexOf('\\') >= 0) {
      return "must use forward slashes, not backslashes";
    }
    if (text.startsWith("/") || text.startsWith("~") || text.matches("[A-Za-z]:.*")) {
      return "must be relative to the repository root, e.g. PROMPT.md or docs/prompt.md";
    }
    for (String segment : text.split("/", -1)) {
      if (segment.equals("..")) {
        return "must stay inside the repository: no '..' segment";
      }
    }
    if (text.endsWith("/")) {
      return "must name a file, not a directory";
    }
    return null;
  }
}
