package dev.forge.activities.sandbox.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.activities.sandbox.usage.UsageJson.MalformedUsageException;
import dev.forge.workflows.sandbox.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads Forge's own usage lines: {@code FORGE_USAGE {"model":"m","input_tokens":1,
 * "cached_input_tokens":2,"cache_write_tokens":3,"output_tokens":4,"cost_usd":0.5}}. Every field
 * but {@code cost_usd} is optional; several lines are added up. One line that cannot be read makes
 * the whole report {@code malformed}.
 */
final class ForgeUsageCollector implements UsageCollector {

  static final String PREFIX = "FORGE_USAGE";
  private static final int MAX_MODELS = 8;

  private long inputTokens;
  private long cachedInputTokens;
  private long cacheWriteTokens;
  private long outputTokens;
  private BigDecimal costUsd = BigDecimal.ZERO;
  private final Set<String> models = new LinkedHashSet<>();
  private int reports;
  private boolean malformed;

  @Override
  public void line(String line, boolean cut) {
    String trimmed = line.strip();
    if (!trimmed.startsWith(PREFIX)) {
      return;
    }
    String rest = trimmed.substring(PREFIX.length());
    if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
      return; // FORGE_USAGEX... is some other word
    }
    reports++;
    if (cut || malformed) {
      malformed = true;
      return;
    }
    try {
      add(UsageJson.parse(rest.strip()).filter(JsonNode::isObject)
          .orElseThrow(() -> new MalformedUsageException("not a JSON object")));
    } catch (MalformedUsageException | ArithmeticException e) {
      malformed = true;
    }
  }

  private void add(JsonNode report) {
    BigDecimal cost =
        UsageJson.money(report, "cost_usd")
            .orElseThrow(() -> new MalformedUsageException("cost_usd is missing"));
    long input = UsageJson.count(report, "input_tokens");
    long cached = UsageJson.count(report, "cached_input_tokens");
    long cacheWrite = UsageJson.count(report, "cache_write_tokens");
    long output = UsageJson.count(report, "output_tokens");
    JsonNode model = report.get("model");
    if (model != null && !model.isNull() && !model.isTextual()) {
      throw new MalformedUsageException("model is not a string");
    }
    inputTokens = Math.addExact(inputTokens, input);
    cachedInputTokens = Math.addExact(cachedInputTokens, cached);
    cacheWriteTokens = Math.addExact(cacheWriteTokens, cacheWrite);
    outputTokens = Math.addExact(outputTokens, output);
    costUsd = costUsd.add(cost);
    if (model != null && model.isTextual() && !model.asText().isBlank()
        && models.size() < MAX_MODELS) {
      models.add(model.asText().strip());
    }
  }

  @Override
  public Usage usage() {
    if (malformed) {
      return Usage.none(Usage.MALFORMED);
    }
    if (reports == 0) {
      return Usage.none(Usage.MISSING);
    }
    return new Usage(
        inputTokens,
        cachedInputTokens,
        cacheWriteTokens,
        outputTokens,
        costUsd,
        Usage.REPORTED,
        models.isEmpty() ? null : String.join(",", models));
  }
}
