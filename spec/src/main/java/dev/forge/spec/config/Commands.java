package dev.forge.spec.config;

import dev.forge.spec.Shown;

import java.util.ArrayList;
import java.util.List;

/**
 * Argument lists: the agent command, checks and gate commands. Forge runs no shell, so a command is
 * a list of arguments, never one string to be split.
 */
final class Commands {

  static final int MAX_ARGUMENTS = 64;
  static final int MAX_ARGUMENT_LENGTH = 4096;
  private static final String EXAMPLE = "[\"bash\", \"tests/run.sh\"]";

  private Commands() {}

  /** One command: 1..64 non-empty strings of at most 4096 characters, without NUL. */
  static List<String> command(Issues issues, String path, Object value) {
    if (value instanceof String) {
      issues.add(path, "type", "must be a list of arguments such as " + EXAMPLE + ", got a string;"
          + " Forge runs no shell, so write each argument as its own item");
      return null;
    }
    List<?> items = Values.list(issues, path, value, MAX_ARGUMENTS, EXAMPLE);
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      issues.add(path, "range", "must not be empty: the first item is the program to run, e.g. "
          + EXAMPLE);
      return null;
    }
    List<String> arguments = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < items.size(); i++) {
      String argument = argument(issues, Paths.index(path, i), items.get(i));
      valid &= argument != null;
      arguments.add(argument);
    }
    return valid ? List.copyOf(arguments) : null;
  }

  /** A list of at most {@code max} commands. */
  static List<List<String>> commands(Issues issues, String path, Object value, int max) {
    List<?> items = Values.list(issues, path, value, max, "[" + EXAMPLE + "]");
    if (items == null) {
      return null;
    }
    List<List<String>> commands = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < items.size(); i++) {
      List<String> command = command(issues, Paths.index(path, i), items.get(i));
      valid &= command != null;
      commands.add(command);
    }
    return valid ? List.copyOf(commands) : null;
  }

  private static String argument(Issues issues, String path, Object value) {
    if (value == null) {
      issues.add(path, "type", "must be a string, got nothing (null)");
      return null;
    }
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    if (text.isEmpty() || text.length() > MAX_ARGUMENT_LENGTH) {
      issues.add(path, "range", "must be 1 to " + MAX_ARGUMENT_LENGTH + " characters long, got "
          + text.length());
      return null;
    }
    if (text.indexOf('\0') >= 0) {
      issues.add(path, "format", "must not contain a NUL character, got " + Shown.value(text));
      return null;
    }
    return text;
  }
}
