package dev.forge.api.loops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.spec.SecretDetector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The last check before a Temporal history leaves Forge (export, recording): does any value in it
 * look like a credential? Forge never puts one into a workflow's arguments or results (credentials
 * are names of host variables, and loop configs with a literal secret are refused at start), so a
 * hit means something went wrong and the history must not be written anywhere.
 *
 * <p>Payloads are base64-encoded JSON; each is decoded and its string values are checked one by
 * one (a JSON field name never counts as the key of an assignment), as are two neighbours in an
 * argument list such as {@code ["--api-key", "..."]}. The answer says where, never what.
 */
public final class HistorySecrets {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DEPTH = 64;

  private HistorySecrets() {}

  /**
   * Where the first value that looks like a secret is, e.g. {@code "event 5
   * (EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)"}; empty when there is none.
   *
   * @throws IllegalArgumentException when the text is not a history in JSON
   */
  public static Optional<String> find(String historyJson) {
    JsonNode history;
    try {
      history = JSON.readTree(historyJson);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a history in JSON: " + e.getMessage(), e);
    }
    JsonNode events = history == null ? null : history.get("events");
    if (events == null || !events.isArray()) {
      throw new IllegalArgumentException("not a history in JSON: it has no events array");
    }
    for (JsonNode event : events) {
      if (holdsSecret(event, 0)) {
        return Optional.of("event " + event.path("eventId").asText("?") + " ("
            + event.path("eventType").asText("?") + ")");
      }
    }
    return Optional.empty();
  }

  private static boolean holdsSecret(JsonNode node, int depth) {
    if (node == null || depth > MAX_DEPTH) {
      return false;
    }
    if (node.isTextual()) {
      return SecretDetector.looksLikeSecret(node.asText());
    }
    if (node.isArray()) {
      String previous = null;
      for (JsonNode element : node) {
        if (holdsSecret(element, depth + 1)) {
          return true;
        }
        String text = element.isTextual() ? element.asText() : null;
        if (previous != null && text != null && SecretDetector.isSecretFlag(previous)
            && SecretDetector.looksLikeToken(text)) {
          return true;
        }
        previous = text;
      }
      return false;
    }
    if (node.isObject()) {
      if (isPayload(node)) {
        return holdsSecret(decode(node.get("data").asText()), depth + 1);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        if (holdsSecret(it.next().getValue(), depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A Temporal payload: {@code {"metadata": {...}, "data": "<base64>"}}. */
  private static boolean isPayload(JsonNode node) {
    return node.has("metadata") && node.path("data").isTextual();
  }

  /** The payload's value: its JSON, or its text when it is not JSON. */
  private static JsonNode decode(String base64) {
    String text;
    try {
      text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      text = base64;
    }
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException notJson) {
      return JSON.getNodeFactory().textNode(text);
    }
  }
}
