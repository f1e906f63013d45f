package dev.forge.activities.sandbox.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.activities.sandbox.usage.UsageJson.MalformedUsageException;
import dev.forge.workflows.sandbox.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the events {@code codex exec --json} prints, one JSON object per line, and prices them with
 * Forge's {@link PriceTable} (Codex reports tokens, never a cost).
 *
 * <p><b>Tokens.</b> The {@code usage} of every {@code turn.completed} event is added up: {@code
 * {"type":"turn.completed","usage":{"input_tokens":24763,"cached_input_tokens":24448,
 * "output_tokens":122}}}. In OpenAI's accounting {@code input_tokens} counts every prompt token,
 * cache reads included, so {@code cached_input_tokens} is a subset of it. Forge's {@link Usage}
 * counts them apart, so {@code inputTokens = input_tokens - cached_input_tokens} (billed at the
 * {@code input} price) and {@code cachedInputTokens = cached_input_tokens} (billed at {@code
 * cached_input}); nothing is counted twice. A turn with more cached than input tokens cannot be
 * read. {@code cacheWriteTokens} stays 0: OpenAI bills cache writes as ordinary input, already in
 * {@code input_tokens}. {@code output_tokens} includes reasoning tokens; fields Codex may add
 * besides these three (such as {@code reasoning_output_tokens}, a subset of the output) are
 * ignored. {@code codex exec} runs one turn per process; should a Codex version report running
 * totals over several turns, adding them up over-counts, the safe side for a cost cap. A {@code
 * turn.failed} event carries no usage, so the tokens of a failed turn are not known.
 *
 * <p><b>Model.</b> Codex's events do not name the model. Each turn is priced with the model in
 * effect when it completed: the last one an event named in a top-level string field {@code model}
 * (as some Codex versions print), else the one the agent command pins with {@code -m}/{@code
 * --model} when the command runs {@code codex}, else the table's default for {@code codex-jsonl}.
 * Pinning the model in the command is what makes the price right.
 *
 * <p><b>Cost.</b> The exact sum over the turns, rounded up to whole micro-dollars (the cost
 * ledger's precision), so rounding never favours the agent. {@code costSource} is {@link #PRICED},
 * with {@code priceTable} the table's version; or {@link #UNPRICED} when a turn ran on a model the
 * table has no price for: then {@code costUsd} covers only the priced turns (0 when none was), a
 * lower bound the loop must not take for the full cost.
 *
 * <p><b>Bad input.</b> Lines that do not start with {@code '{'} are not events and are skipped.
 * An event line that cannot be read (not JSON, cut at the line limit, a usage that is not
 * non-negative integers) is counted in {@link #malformedLines()} and skipped; the report is {@code
 * malformed} only when no {@code turn.completed} could be read at all, {@code missing} when there
 * was none and nothing was malformed. Memory is bounded: counters, at most a few model names, and
 * the text of the last agent message (at most one line, which {@link dev.forge.activities.sandbox.output.LineScanner} limits).
 *
 * <p>The completion promise counts when the text of the last {@code agent_message} item contains
 * it, as Codex's final answer is that message.
 */
public final class CodexJsonlCollector implements UsageCollector {

  static final String PRICED = Usage.PRICED;
  static final String UNPRICED = Usage.UNPRICED;
  /** The usage format's name in forge.yml, the key of its default model in the price table. */
  static final String FORMAT_NAME = "codex-jsonl";

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,63}");
  /** The models named in the report fit the cost ledger's column of 100 characters. */
  private static final int MAX_MODELS_CHARS = 100;

  private final PriceTable prices;
  private String model;
  private long inputTokens;
  private long cachedInputTokens;
  private long outputTokens;
  private BigDecimal pricedCost = BigDecimal.ZERO;
  private boolean unpriced;
  private int turns;
  private long malformedLines;
  private final Set<String> models = new LinkedHashSet<>();
  private int modelsChars;
  private String lastAgentMessage;

  /**
   * @param prices the table to price turns with
   * @param commandModel the model the agent command pins, or null
   */
  CodexJsonlCollector(PriceTable prices, String commandModel) {
    this.prices = prices;
    this.model = commandModel != null ? commandModel
        : prices.defaultModel(FORMAT_NAME).orElse(null);
  }

  /**
   * The model {@code codex ... -m <model>} (or {@code --model <model>}, {@code --model=<model>})
   * pins, when the command's program is {@code codex}; null otherwise. The last one counts.
   */
  static String modelFromCommand(List<String> command) {
    if (command == null || command.isEmpty()) {
      return null;
    }
    String program = command.get(0);
    if (!program.equals("codex") && !program.endsWith("/codex")) {
      return null;
    }
    String found = null;
    for (int i = 1; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg.equals("--")) {
        break;
      } else if ((arg.equals("-m") || arg.equals("--model")) && i + 1 < command.size()) {
        found = command.get(++i);
      } else if (arg.startsWith("--model=")) {
        found = arg.substring("--model=".length());
      }
    }
    return found != null && MODEL.matcher(found).matches() ? found : null;
  }

  @Override
  public void line(String line, boolean cut) {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      return;
    }
    Optional<JsonNode> parsed = cut ? Optional.empty() : UsageJson.parse(trimmed);
    if (parsed.isEmpty() || !parsed.get().isObject()) {
      malformedLines++;
      return;
    }
    try {
      event(parsed.get());
    } catch (MalformedUsageException | ArithmeticException e) {
      malformedLines++;
    }
  }

  private void event(JsonNode event) {
    JsonNode named = event.get("model");
    if (named != null && !named.isNull()) {
      if (!named.isTextual() || !MODEL.matcher(named.asText()).matches()) {
        throw new MalformedUsageException("model is not a model id");
      }
      model = named.asText();
    }
    String type = event.path("type").asText("");
    if (type.equals("turn.completed")) {
      turn(event.get("usage"));
    } else if (type.equals("item.completed")) {
      JsonNode item = event.path("item");
      JsonNode text = item.path("text");
      if ("agent_message".equals(item.path("type").asText(null)) && text.isTextual()) {
        lastAgentMessage = text.asText();
      }
    }
  }

  private void turn(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      throw new MalformedUsageException("usage is not an object");
    }
    long input = UsageJson.count(usage, "input_tokens");
    long cached = UsageJson.count(usage, "cached_input_tokens");
    long output = UsageJson.count(usage, "output_tokens");
    if (cached > input) {
      throw new MalformedUsageException("cached_input_tokens exceeds input_tokens");
    }
    long nonCached = input - cached;
    long newInput = Math.addExact(inputTokens, nonCached);
    long newCached = Math.addExact(cachedInputTokens, cached);
    long newOutput = Math.addExact(outputTokens, output);
    Optional<PriceTable.Price> price = prices.price(model);
    inputTokens = newInput;
    cachedInputTokens = newCached;
    outputTokens = newOutput;
    if (price.isPresent()) {
      pricedCost = pricedCost.add(price.get().cost(nonCached, cached, 0, output));
    } else {
      unpriced = true;
    }
    turns++;
    if (model != null && !models.contains(model)
        && modelsChars + model.length() + (models.isEmpty() ? 0 : 1) <= MAX_MODELS_CHARS) {
      modelsChars += model.length() + (models.isEmpty() ? 0 : 1);
      models.add(model);
    }
  }

  /** Event lines that could not be read. */
  @Override
  public long malformedLines() {
    return malformedLines;
  }

  /** The text of the last agent message, for completion-promise detection. */
  public Optional<String> lastAgentMessage() {
    return Optional.ofNullable(lastAgentMessage);
  }

  @Override
  public Usage usage() {
    if (turns == 0) {
      return Usage.none(malformedLines > 0 ? Usage.MALFORMED : Usage.MISSING);
    }
    return new Usage(
        inputTokens,
        cachedInputTokens,
        0,
        outputTokens,
        pricedCost.setScale(6, RoundingMode.UP),
        unpriced ? UNPRICED : PRICED,
        models.isEmpty() ? null : String.join(",", models),
        prices.version());
  }
}
