package dev.forge.api.loops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * A history as the export hands it out: every failure without its Java stack trace, and a failure
 * type that is a Java class name ({@code java.lang.IllegalStateException})
 * cut to the class's own name. Histories recorded before failures were recorded without stack
 * traces hold them; neither field decides what a workflow does, so the export still replays.
 */
final class ExportedHistory {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A qualified Java class name: a lower-case package, dots, then the class. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("[a-z_][a-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*\\.[A-Z][A-Za-z0-9_$]*");

  private ExportedHistory() {}

  static String withoutJavaInternals(String historyJson) {
    try {
      JsonNode history = JSON.readTree(historyJson);
      scrub(history);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(history);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the history is not JSON", e);
    }
  }

  /** A type that names a class is cut to the class's name, nested classes joined by dots. */
  static String typeName(String type) {
    if (!CLASS_NAME.matcher(type).matches()) {
      return type;
    }
    return type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
  }

  private static void scrub(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("stackTrace");
      JsonNode info = object.get("applicationFailureInfo");
      if (info instanceof ObjectNode failureInfo && failureInfo.path("type").isTextual()) {
        failureInfo.put("type", typeName(failureInfo.get("type").asText()));
      }
    }
    for (JsonNode child : node) {
      scrub(child);
    }
  }
}
