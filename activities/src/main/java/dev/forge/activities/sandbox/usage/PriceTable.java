package dev.forge.activities.sandbox.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.activities.sandbox.usage.UsageJson.MalformedUsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Forge's pinned, versioned price table, for agents that report tokens but no cost (Codex). One
 * JSON resource per version, {@code prices/<version>.json} next to this class:
 *
 * <pre>{@code
 * {"version": "2026-11-01", "note": "...", "currency": "USD", "unit": "per million tokens",
 *  "defaults": {"codex-jsonl": "gpt-5-codex"},
 *  "models": {"gpt-5-codex": {"input": 1.25, "cached_input": 0.125, "cache_write": 1.25,
 *                             "output": 10.00}, ...}}
 * }</pre>
 *
 * <p>Prices are exact decimals in US dollars per million tokens: {@code input} for tokens sent and
 * not read from the cache, {@code cached_input} for cache reads, {@code cache_write} for tokens
 * written to the cache, {@code output} for tokens received (reasoning included). {@code defaults}
 * names, per usage format, the model assumed when the agent's output does not say. Every key is
 * required and no other is allowed; the version must match the file name.
 *
 * <p>The table is never fetched or updated at run time: operators check it, and a change is a new
 * file and a new {@link #PINNED_VERSION}, so that every recorded cost names the table it came from.
 */
public final class PriceTable {

  /** The version in use. */
  public static final String PINNED_VERSION = "2026-11-01";

  private static final Set<String> KEYS =
      Set.of("version", "note", "currency", "unit", "defaults", "models");
  private static final Set<String> PRICE_KEYS =
      Set.of("input", "cached_input", "cache_write", "output");

  private final String version;
  private final Map<String, Price> models;
  private final Map<String, String> defaults;

  private PriceTable(String version, Map<String, Price> models, Map<String, String> defaults) {
    this.version = version;
    this.models = Map.copyOf(models);
    this.defaults = Map.copyOf(defaults);
  }

  /** The table of {@link #PINNED_VERSION}, read once. */
  public static PriceTable pinned() {
    return Pinned.TABLE;
  }

  private static final class Pinned {
    static final PriceTable TABLE = load(PINNED_VERSION);
  }

  /**
   * Reads the table of one version from the class path.
   *
   * @throws IllegalStateException when it is missing or invalid: a build defect, never input
   */
  static PriceTable load(String version) {
    String resource = "prices/" + version + ".json";
    try (InputStream in = PriceTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("price table " + resource + " is not on the class path");
      }
      PriceTable table = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (!table.version.equals(version)) {
        throw new IllegalStateException(
            "price table " + resource + " says it is version " + table.version);
      }
      return table;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a table from its JSON text.
   *
   * @throws IllegalStateException when it is invalid
   */
  static PriceTable parse(String json) {
    JsonNode root =
        UsageJson.parse(json).filter(JsonNode::isObject)
            .orElseThrow(() -> new IllegalStateException("price table is not a JSON object"));
    try {
      onlyKeys(root, KEYS, "price table");
      String version = text(root, "version");
      Map<String, Price> models = new LinkedHashMap<>();
      JsonNode modelsNode = object(root, "models");
      for (Iterator<Map.Entry<String, JsonNode>> it = modelsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        models.put(entry.getKey(), price(entry.getKey(), entry.getValue()));
      }
      if (models.isEmpty()) {
        throw new MalformedUsageException("models is empty");
      }
      Map<String, String> defaults = new LinkedHashMap<>();
      JsonNode defaultsNode = object(root, "defaults");
      for (Iterator<Map.Entry<String, JsonNode>> it = defaultsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String model = text(defaultsNode, entry.getKey());
        if (!models.containsKey(model)) {
          throw new MalformedUsageException(
              "default " + entry.getKey() + " names " + model + ", which has no price");
        }
        defaults.put(entry.getKey(), model);
      }
      return new PriceTable(version, models, defaults);
    } catch (MalformedUsageException e) {
      throw new IllegalStateException("price table is invalid: " + e.getMessage());
    }
  }

  private static Price price(String model, JsonNode node) {
    if (!node.isObject()) {
      throw new MalformedUsageException(model + " is not an object");
    }
    onlyKeys(node, PRICE_KEYS, model);
    return new Price(
        money(node, model, "input"),
        money(node, model, "cached_input"),
        money(node, model, "cache_write"),
        money(node, model, "output"));
  }

  private static BigDecimal money(JsonNode node, String model, String field) {
    BigDecimal price = UsageJson.money(node, field)
        .orElseThrow(() -> new MalformedUsageException(model + "." + field + " is missing"));
    // The JSON layer strips trailing zeros (10.00 becomes 1E+1); keep plain numbers plain.
    return price.scale() < 0 ? price.setScale(0) : price;
  }

  private static void onlyKeys(JsonNode node, Set<String> allowed, String what) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new MalformedUsageException(what + " has an unknown key " + key);
      }
    }
    for (String key : allowed) {
      if (!node.has(key)) {
        throw new MalformedUsageException(what + " lacks " + key);
      }
    }
  }

  private static JsonNode object(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw new MalformedUsageException(field + " is not an object");
    }
    return node;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new MalformedUsageException(field + " is not a non-blank string");
    }
    return node.asText();
  }

  /** The version of this table, e.g. {@code 2026-11-01}. */
  public String version() {
    return version;
  }

  /** The price of a model, by its exact id; empty when the table has none. */
  public Optional<Price> price(String model) {
    return model == null ? Optional.empty() : Optional.ofNullable(models.get(model));
  }

  /** The model assumed for a usage format whose output names none, if the table says. */
  Optional<String> defaultModel(String usageFormat) {
    return Optional.ofNullable(defaults.get(usageFormat));
  }

  /** The model ids the table prices, sorted. */
  List<String> models() {
    return models.keySet().stream().sorted().toList();
  }

  /**
   * The highest price of each kind over every model in the table (each maximum on its own, so
   * possibly no single model's): what a model the table does not know is assumed to cost when a
   * worst case must be bounded (the model gateway's reservation).
   */
  public Price mostExpensive() {
    return models.values().stream()
        .reduce((a, b) -> new Price(a.input.max(b.input), a.cachedInput.max(b.cachedInput),
            a.cacheWrite.max(b.cacheWrite), a.output.max(b.output)))
        .orElseThrow();
  }

  /** Prices of one model in US dollars per million tokens. */
  public record Price(BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal output) {

    private static final int PER_MILLION = 6;

    /** The exact cost of these tokens, unrounded. Input here excludes cache reads and writes. */
    public BigDecimal cost(long inputTokens, long cachedInputTokens, long cacheWriteTokens,
        long outputTokens) {
      return input.multiply(BigDecimal.valueOf(inputTokens))
          .add(cachedInput.multiply(BigDecimal.valueOf(cachedInputTokens)))
          .add(cacheWrite.multiply(BigDecimal.valueOf(cacheWriteTokens)))
          .add(output.multiply(BigDecimal.valueOf(outputTokens)))
          .movePointLeft(PER_MILLION);
    }
  }
}
