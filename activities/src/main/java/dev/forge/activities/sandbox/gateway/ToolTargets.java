package dev.forge.activities.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.spec.SecretDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tool call acts on, as FORGE's audit line names it: the command of a shell tool, the file
 * path of an edit, the URL of a fetch, the files of a patch. Read from the input the model gave,
 * at most {@value #MAX_CHARS} characters, with credentials redacted.
 */
final class ToolTargets {

  static final int MAX_CHARS = 500;

  /** The input fields that name a target, in the order they are preferred. */
  private static final List<String> FIELDS = List.of("command", "cmd", "file_path", "path",
      "notebook_path", "url", "pattern", "query", "patch", "input");

  private static final List<String> PATCH_FILES = List.of("*** Add File: ", "*** Update File: ",
      "*** Delete File: ", "*** Move to: ");

  private ToolTargets() {}

  /**
   * The target of a call, or {@code null} when its input names none.
   *
   * @param input the tool's input: an object (most tools), a string (a free-form tool such as
   *     Codex's {@code apply_patch}) or {@code null}
   * @param secrets values to redact wherever they appear (the provider key of the call)
   */
  static String of(JsonNode input, List<String> secrets) {
    String target = raw(input);
    if (target == null || target.isBlank()) {
      return null;
    }
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        target = target.replace(secret, "[REDACTED]");
      }
    }
    target = SecretDetector.redactShapes(target.strip());
    return target.length() <= MAX_CHARS ? target : target.substring(0, MAX_CHARS - 1) + "…";
  }

  private static String raw(JsonNode input) {
    if (input == null || input.isNull()) {
      return null;
    }
    if (input.isTextual()) {
      return patchOrText(input.asText());
    }
    for (String field : FIELDS) {
      JsonNode value = input.get(field);
      if (value == null) {
        continue;
      }
      if (value.isTextual()) {
        return field.equals("patch") || field.equals("input") ? patchOrText(value.asText())
            : value.asText();
      }
      if (value.isArray()) {
        List<String> words = new ArrayList<>();
        value.forEach(word -> words.add(word.asText()));
        return shell(words);
      }
    }
    return null;
  }

  /** {@code ["bash", "-lc", "make test"]} is the command {@code make test}. */
  private static String shell(List<String> words) {
    if (words.size() == 3 && (words.get(0).endsWith("sh")) && words.get(1).startsWith("-")
        && words.get(1).endsWith("c")) {
      return words.get(2);
    }
    return String.join(" ", words);
  }

  /** The files a patch touches, else the text's first line. */
  private static String patchOrText(String text) {
    List<String> files = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      for (String marker : PATCH_FILES) {
        if (line.startsWith(marker)) {
          files.add(line.substring(marker.length()).strip());
        }
      }
    }
    if (!files.isEmpty()) {
      return String.join(", ", files);
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
