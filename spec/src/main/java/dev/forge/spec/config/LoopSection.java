package dev.forge.spec.config;

import dev.forge.spec.Shown;
import dev.forge.spec.loop.AgentModel;
import dev.forge.spec.loop.ModelProvider;
import dev.forge.spec.sandbox.UsageFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code loop:}: the agent, how completion is judged, the loop's caps, and when it stops for
 * making no progress.
 */
final class LoopSection {

  static final String DEFAULT_MODE = "afk";
  static final String DEFAULT_PROMISE = "LOOP_COMPLETE";
  static final long DEFAULT_MAX_ITERATIONS = 20;
  static final long DEFAULT_MAX_RUNTIME_SECONDS = 4 * 3_600;
  static final int MAX_CHECKS = 20;
  static final int MAX_PROMISE_LENGTH = 200;
  static final BigDecimal MAX_COST = new BigDecimal("100000");
  static final long DEFAULT_NO_PROGRESS_ITERATIONS = 3;
  static final long DEFAULT_SAME_FAILURES = 3;
  static final long MAX_NO_PROGRESS = 1000;
  static final long MAX_ITERATIONS = 10_000;
  static final long MIN_RUNTIME_SECONDS = 60;
  static final int MAX_COST_SCALE = 6;
  static final BigDecimal MIN_UNREPORTED_COST = new BigDecimal("0.000001");
  static final List<String> KEYS = List.of("mode", "agent", "prompt_file",
      "completion_promise", "checks", "max_iterations", "max_runtime", "cost_cap_usd",
      "no_progress", "cost_cap_wait");
  static final List<String> AGENT_KEYS = List.of("command", "usage", "unreported_cost", "model");
  static final List<String> MODEL_KEYS = List.of("provider", "credential", "tool_results");
  static final List<String> TOOL_RESULTS = List.of("flag", "refuse");
  static final List<String> NO_PROGRESS_KEYS = List.of("iterations", "same_failures");
  static final List<String> MODES = List.of("afk", "hitl");
  static final List<String> USAGE_NAMES =
      List.of("forge-usage", "claude-json", "aider", "codex-jsonl");
  private static final Map<String, UsageFormat> USAGES = Map.of(
      "forge-usage", UsageFormat.FORGE_USAGE,
      "claude-json", UsageFormat.CLAUDE_JSON,
      "aider", UsageFormat.AIDER,
      "codex-jsonl", UsageFormat.CODEX_JSONL);

  /** What {@code loop:} holds; a field is null only when an error was reported for it. */
  record Loop(String mode, List<String> agentCommand, UsageFormat usage, String promptFile,
      String completionPromise, List<List<String>> checks, Long maxIterations,
      Long maxRuntimeSeconds, BigDecimal costCapUsd, NoProgress noProgress,
      BigDecimal unreportedCostUsd, Long costCapWaitSeconds, AgentModel model) {}

  /**
   * {@code loop.no_progress}; 0 turns a rule off.
   *
   * @param iterations stop after this many iterations in a row left the work tree unchanged
   * @param sameFailures stop when the same checks failed the same way this many times in a row
   */
  record NoProgress(int iterations, int sameFailures) {}

  private LoopSection() {}

  static Loop read(Issues issues, Section root) {
    if (!root.require("loop", "the agent command and the loop's caps, at least agent.command and"
        + " cost_cap_usd")) {
      return null;
    }
    Section loop = Section.read(issues, root.path("loop"), root.get("loop"), KEYS, Map.of());
    if (!loop.isMapping()) {
      return null;
    }
    Object mode = loop.get("mode");
    String modeValue = mode == null ? DEFAULT_MODE : Values.choice(issues, loop.path("mode"), mode, MODES);

    List<String> command = null;
    UsageFormat usage = UsageFormat.FORGE_USAGE;
    BigDecimal unreportedCost = null;
    AgentModel model = null;
    if (loop.require("agent", "the agent to run, e.g. agent: {command: [\"claude\", \"-p\","
        + " \"{prompt}\"], usage: claude-json}")) {
      Section agent = Section.read(issues, loop.path("agent"), loop.get("agent"), AGENT_KEYS, Map.of());
      if (agent.isMapping() && agent.require("command", "the agent's argument list, e.g."
          + " [\"claude\", \"-p\", \"{prompt}\"]")) {
        command = Commands.command(issues, agent.path("command"), agent.get("command"));
      }
      usage = usage(issues, agent.path("usage"), agent.get("usage"));
      unreportedCost = unreportedCost(issues, agent.path("unreported_cost"),
          agent.get("unreported_cost"));
      model = model(issues, agent.path("model"), agent.get("model"));
    }

    Object maxIterations = loop.get("max_iterations");
    Object maxRuntime = loop.get("max_runtime");
    Object checks = loop.get("checks");
    Object costCapWait = loop.get("cost_cap_wait");
    BigDecimal cost = null;
    if (loop.require("cost_cap_usd", "the most this loop may spend in US dollars, e.g. 10.00")) {
      cost = Values.decimal(issues, loop.path("cost_cap_usd"), loop.get("cost_cap_usd"), MAX_COST_SCALE,
          BigDecimal.ZERO, MAX_COST, "10.00");
    }
    return new Loop(
        modeValue,
        command,
        usage,
        PromptFile.check(issues, loop.path("prompt_file"), loop.get("prompt_file")),
        promise(issues, loop.path("completion_promise"), loop.get("completion_promise")),
        checks == null ? List.of() : Commands.commands(issues, loop.path("checks"), checks, MAX_CHECKS),
        maxIterations == null ? Long.valueOf(DEFAULT_MAX_ITERATIONS)
            : Values.wholeNumber(issues, loop.path("max_iterations"), maxIterations, 1, MAX_ITERATIONS),
        maxRuntime == null ? Long.valueOf(DEFAULT_MAX_RUNTIME_SECONDS)
            : Quantities.duration(issues, loop.path("max_runtime"), maxRuntime, MIN_RUNTIME_SECONDS,
                Quantities.MAX_WAIT_SECONDS),
        cost == null ? null : cost.setScale(Math.max(2, cost.stripTrailingZeros().scale()),
            RoundingMode.UNNECESSARY),
        noProgress(issues, loop),
        unreportedCost,
        costCapWait == null ? Long.valueOf(0)
            : Quantities.duration(issues, loop.path("cost_cap_wait"), costCapWait, 0,
                Quantities.MAX_WAIT_SECONDS),
        model);
  }

  /**
   * {@code loop.agent.model}: the provider the agent reaches through the model gateway, and the
   * host variable holding its key (a name, checked as credentials.env's host names are). Absent:
   * {@code null}.
   */
  private static AgentModel model(Issues issues, String path, Object value) {
    if (value == null) {
      return null;
    }
    Section model = Section.read(issues, path, value, MODEL_KEYS, Map.of());
    if (!model.isMapping()) {
      return null;
    }
    ModelProvider provider = null;
    if (model.require("provider", "the model provider, one of " + Values.or(ModelProvider.names()))) {
      String name = Values.choice(issues, model.path("provider"), model.get("provider"),
          ModelProvider.names());
      provider = name == null ? null : ModelProvider.byName(name).orElseThrow();
    }
    String credential = null;
    if (model.require("credential", "the host variable holding the provider's key, e.g."
        + " ANTHROPIC_API_KEY")) {
      credential = CredentialsSection.hostName(issues, model.path("credential"),
          model.get("credential"));
    }
    Object toolResults = model.get("tool_results");
    String policy = toolResults == null ? "flag"
        : Values.choice(issues, model.path("tool_results"), toolResults, TOOL_RESULTS);
    if (provider == null || credential == null || policy == null) {
      return null;
    }
    return new AgentModel(provider, credential,
        AgentModel.ToolResults.valueOf(policy.toUpperCase(Locale.ROOT)));
  }

  /**
   * {@code loop.agent.unreported_cost}: {@code stop} (the default; {@code null}) ends the loop when
   * an iteration's cost cannot be read, a number charges that many dollars for it instead.
   */
  private static BigDecimal unreportedCost(Issues issues, String path, Object value) {
    if (value == null || "stop".equals(value)) {
      return null;
    }
    if (value instanceof String text && Values.number(text) == null) {
      issues.add(path, "format", "must be stop or an amount in US dollars such as 0.50, got "
          + Shown.value(value));
      return null;
    }
    BigDecimal estimate = Values.decimal(issues, path, value, MAX_COST_SCALE, MIN_UNREPORTED_COST,
        MAX_COST, "0.50");
    return estimate == null ? null : estimate.stripTrailingZeros();
  }

  private static NoProgress noProgress(Issues issues, Section loop) {
    Section section = Section.read(issues, loop.path("no_progress"), loop.get("no_progress"),
        NO_PROGRESS_KEYS, Map.of());
    Long iterations = limit(issues, section, "iterations", DEFAULT_NO_PROGRESS_ITERATIONS);
    Long sameFailures = limit(issues, section, "same_failures", DEFAULT_SAME_FAILURES);
    if (iterations == null || sameFailures == null) {
      return null;
    }
    return new NoProgress(Math.toIntExact(iterations), Math.toIntExact(sameFailures));
  }

  private static Long limit(Issues issues, Section section, String key, long defaultValue) {
    Object value = section.get(key);
    return value == null ? Long.valueOf(defaultValue)
        : Values.wholeNumber(issues, section.path(key), value, 0, MAX_NO_PROGRESS);
  }

  private static UsageFormat usage(Issues issues, String path, Object value) {
    if (value == null) {
      return UsageFormat.FORGE_USAGE;
    }
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    UsageFormat format = USAGES.get(text);
    if (format == null) {
      issues.add(path, "format", "must be " + Values.or(USAGE_NAMES) + ", got " + Shown.value(text));
    }
    return format;
  }

  private static String promise(Issues issues, String path, Object value) {
    if (value == null) {
      return DEFAULT_PROMISE;
    }
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    if (text.isBlank()) {
      issues.add(path, "format", "must not be blank; the default is " + DEFAULT_PROMISE);
      return null;
    }
    if (text.length() > MAX_PROMISE_LENGTH) {
      issues.add(path, "range", "must be at most " + MAX_PROMISE_LENGTH + " characters, got "
          + text.length());
      return null;
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      issues.add(path, "format", "must be a single line, got " + Shown.value(text));
      return null;
    }
    return text;
  }
}
