package dev.forge.activities.sandbox.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.activities.sandbox.usage.UsageJson.MalformedUsageException;
import dev.forge.workflows.sandbox.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the result object Claude Code prints with {@code claude -p --output-format json} (or last,
 * with {@code stream-json}): the last stdout line holding a JSON object whose {@code type} is
 * {@code result}. With {@code --verbose} the line is an array of messages; its last result object
 * counts.
 */
public final class ClaudeJsonCollector implements UsageCollector {

  private static final Pattern RESULT_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"result\"");

  /** The last result object; null before one was seen. */
  private JsonNode result;
  /** Whether the last line that looked like a result object could not be read. */
  private boolean lastCandidateBroken;

  @Override
  public void line(String line, boolean cut) {
    String trimmed = line.strip();
    if (!(trimmed.startsWith("{") || trimmed.startsWith("["))
        || !RESULT_TYPE.matcher(trimmed).find()) {
      return;
    }
    Optional<JsonNode> parsed = cut ? Optional.empty() : UsageJson.parse(trimmed);
    if (parsed.isEmpty()) {
      // It names itself a result but cannot be read: cut at the line limit, or not JSON.
      lastCandidateBroken = true;
      return;
    }
    lastResult(parsed.get())
        .ifPresent(
            found -> {
              result = found;
              lastCandidateBroken = false;
            });
  }

  private static Optional<JsonNode> lastResult(JsonNode node) {
    if (isResult(node)) {
      return Optional.of(node);
    }
    JsonNode last = null;
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (isResult(element)) {
          last = element;
        }
      }
    }
    return Optional.ofNullable(last);
  }

  private static boolean isResult(JsonNode node) {
    return node.isObject() && "result".equals(node.path("type").asText(null));
  }

  /** The {@code result} text of the final result object, for completion-promise detection. */
  public Optional<String> resultText() {
    if (result == null || lastCandidateBroken) {
      return Optional.empty();
    }
    JsonNode text = result.get("result");
    return text != null && text.isTextual() ? Optional.of(text.asText()) : Optional.empty();
  }

  @Override
  public Usage usage() {
    if (lastCandidateBroken) {
      return Usage.none(Usage.MALFORMED);
    }
    if (result == null) {
      return Usage.none(Usage.MISSING);
    }
    try {
      BigDecimal cost =
          UsageJson.money(result, "total_cost_usd")
              .or(() -> UsageJson.money(result, "cost_usd"))
              .orElseThrow(() -> new MalformedUsageException("total_cost_usd is missing"));
      JsonNode usage = result.path("usage");
      if (!usage.isMissingNode() && !usage.isObject()) {
        throw new MalformedUsageException("usage is not an object");
      }
      return new Usage(
          UsageJson.count(usage, "input_tokens"),
          UsageJson.count(usage, "cache_read_input_tokens"),
          UsageJson.count(usage, "cache_creation_input_tokens"),
          UsageJson.count(usage, "output_tokens"),
          cost,
          Usage.REPORTED,
          models(result.get("modelUsage")),
          null,
          turns(result.get("num_turns")),
          subtype(result.get("subtype")));
    } catch (MalformedUsageException e) {
      return Usage.none(Usage.MALFORMED);
    }
  }

  private static Integer turns(JsonNode turns) {
    return turns != null && turns.canConvertToInt() && turns.asInt() >= 0 ? turns.asInt() : null;
  }

  /** The result's subtype, if it is a short word (it ends up in the audit log and the history). */
  private static String subtype(JsonNode subtype) {
    if (subtype == null || !subtype.isTextual()) {
      return null;
    }
    String text = subtype.asText();
    return text.matches("[a-z_]{1,40}") ? text : null;
  }

  private static String models(JsonNode modelUsage) {
    if (modelUsage == null || !modelUsage.isObject() || modelUsage.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = modelUsage.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return String.join(",", names);
  }
}
