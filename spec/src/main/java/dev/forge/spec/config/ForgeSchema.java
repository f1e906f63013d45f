package dev.forge.spec.config;

import dev.forge.spec.loop.Approvers;
import dev.forge.spec.loop.ModelProvider;
import dev.forge.spec.sandbox.Destination;
import dev.forge.spec.sandbox.SandboxLimitRules.Bound;
import dev.forge.spec.sandbox.SandboxLimitRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of forge.yml, built from the parser's own definitions: the same
 * key lists, choices, patterns and bounds the sections read with, so that an editor completes and
 * checks what the parser accepts. It describes structure (keys, types, choices, lengths, bounds of
 * plain numbers); rules across fields (a mount that leaves the repository, the none/restricted
 * conflict, a literal secret) are the parser's alone. {@code ForgeSchemaTest} keeps the committed
 * {@code docs/forge.schema.json} equal to {@link #json()} and checks that the schema accepts every
 * valid config of the tests and refuses every structurally invalid one.
 */
public final class ForgeSchema {

  private ForgeSchema() {}

  /** The schema as pretty-printed JSON, ending in a newline. */
  public static String json() {
    StringBuilder out = new StringBuilder();
    Json.write(out, schema(), 0);
    return out.append('\n').toString();
  }

  static Map<String, Object> schema() {
    Map<String, Object> root = object(ForgeConfigParser.KEYS, List.of("version", "loop", "sandbox"));
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("title", "forge.yml");
    root.put("description", "A Forge loop specification, schema version 1. Check a file with"
        + " ./forge validate; docs/configuration.md describes every key.");
    Map<String, Object> props = properties(root);
    props.put("version", map("const", 1, "description", "the schema version: 1"));
    props.put("loop", loop());
    props.put("sandbox", sandbox());
    props.put("credentials", credentials());
    props.put("gates", gates());
    // Insertion order puts $schema first in the file.
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : List.of("$schema", "title", "description")) {
      ordered.put(key, root.remove(key));
    }
    ordered.putAll(root);
    return ordered;
  }

  private static Map<String, Object> loop() {
    Map<String, Object> loop = object(LoopSection.KEYS, List.of("agent", "cost_cap_usd"));
    Map<String, Object> p = properties(loop);
    p.put("mode", choice(LoopSection.MODES));
    Map<String, Object> agent = object(LoopSection.AGENT_KEYS, List.of("command"));
    properties(agent).put("command", command());
    properties(agent).put("usage", choice(LoopSection.USAGE_NAMES));
    properties(agent).put("unreported_cost", map("anyOf", List.of(map("const", "stop"),
        amount(LoopSection.MIN_UNREPORTED_COST, LoopSection.MAX_COST))));
    Map<String, Object> model = object(LoopSection.MODEL_KEYS, List.of("provider", "credential"));
    properties(model).put("provider", choice(ModelProvider.names()));
    properties(model).put("credential", pattern(CredentialsSection.NAME.pattern()));
    properties(model).put("tool_results", choice(LoopSection.TOOL_RESULTS));
    properties(agent).put("model", model);
    p.put("agent", agent);
    p.put("prompt_file", string(PromptFile.MAX_LENGTH));
    p.put("completion_promise", string(LoopSection.MAX_PROMISE_LENGTH));
    p.put("checks", commands(LoopSection.MAX_CHECKS));
    p.put("max_iterations", whole(1, LoopSection.MAX_ITERATIONS));
    p.put("max_runtime", duration());
    p.put("cost_cap_usd", amount(BigDecimal.ZERO, LoopSection.MAX_COST));
    Map<String, Object> noProgress = object(LoopSection.NO_PROGRESS_KEYS, List.of());
    for (String key : LoopSection.NO_PROGRESS_KEYS) {
      properties(noProgress).put(key, whole(0, LoopSection.MAX_NO_PROGRESS));
    }
    p.put("no_progress", noProgress);
    p.put("cost_cap_wait", duration());
    return loop;
  }

  private static Map<String, Object> sandbox() {
    Map<String, Object> sandbox = object(SandboxSection.KEYS, List.of("image"));
    Map<String, Object> p = properties(sandbox);
    p.put("image", string(512));
    Map<String, Object> network = object(SandboxSection.NETWORK_KEYS, List.of());
    properties(network).put("mode", choice(SandboxSection.NETWORK_MODES));
    properties(network).put("allowed", array(map("type", "string", "maxLength",
        Destination.MAX_LENGTH), SandboxSection.MAX_ALLOWED_HOSTS));
    p.put("network", network);
    Map<String, Object> mounts = object(MountsSection.KEYS, List.of());
    for (String key : MountsSection.KEYS) {
      properties(mounts).put(key, array(map("type", "string", "maxLength", MountsSection.MAX_LENGTH),
          MountsSection.MAX_MOUNTS));
    }
    p.put("mounts", mounts);
    p.put("runtime", pattern(SandboxSection.RUNTIME.pattern()));
    Map<String, Object> limits = object(SandboxSection.LIMIT_KEYS, List.of());
    for (Bound bound : SandboxLimitRules.ALL) {
      Object schema;
      if (bound == SandboxLimitRules.CPU) {
        BigDecimal nanos = BigDecimal.valueOf(SandboxLimitRules.NANOS_PER_CPU);
        schema = amount(BigDecimal.valueOf(bound.min()).divide(nanos),
            BigDecimal.valueOf(bound.max()).divide(nanos));
      } else if (bound == SandboxLimitRules.PIDS) {
        schema = whole(bound.min(), bound.max());
      } else if (bound == SandboxLimitRules.TIMEOUT) {
        schema = duration();
      } else {
        schema = size(bound);
      }
      properties(limits).put(bound.key(), schema);
    }
    p.put("limits", limits);
    return sandbox;
  }

  private static Map<String, Object> credentials() {
    Map<String, Object> credentials = object(List.of("env"), List.of());
    Map<String, Object> env = map("type", List.of("object", "null"));
    env.put("propertyNames", pattern(CredentialsSection.NAME.pattern()));
    env.put("additionalProperties", pattern(CredentialsSection.NAME.pattern()));
    env.put("maxProperties", CredentialsSection.MAX_ENTRIES);
    properties(credentials).put("env", env);
    return credentials;
  }

  private static Map<String, Object> gates() {
    Map<String, Object> gate = object(GatesSection.KEYS, List.of());
    Map<String, Object> p = properties(gate);
    p.put("type", choice(GatesSection.GATE_TYPES));
    p.put("approvers", approvers());
    p.put("required_approvals", whole(1, GateOptions.MAX_REQUIRED_APPROVALS));
    p.put("timeout", duration());
    p.put("on_timeout", choice(GatesSection.ON_TIMEOUT));
    p.put("escalate_to", approvers());
    p.put("escalation_timeout", duration());
    p.put("remind_every", duration());
    p.put("require_backup", map("type", List.of("boolean", "null")));
    p.put("rollback_plan", choice(GateOptions.ROLLBACK_PLANS));
    p.put("step_up", map("type", List.of("boolean", "null")));
    p.put("run", commands(GatesSection.MAX_RUN_COMMANDS));
    Map<String, Object> gates = map("type", List.of("object", "null"));
    gates.put("propertyNames", pattern(GatesSection.NAME.pattern()));
    gates.put("additionalProperties", gate);
    gates.put("maxProperties", GatesSection.MAX_GATES);
    return gates;
  }

  // ---------------------------------------------------------------- building blocks

  /** A mapping with exactly these keys; absent and null mean the same (the default). */
  private static Map<String, Object> object(List<String> keys, List<String> required) {
    Map<String, Object> schema = map("type", required.isEmpty() ? List.of("object", "null")
        : "object");
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String key : keys) {
      properties.put(key, map());
    }
    schema.put("properties", properties);
    schema.put("additionalProperties", false);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return schema;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> object) {
    return (Map<String, Object>) object.get("properties");
  }

  private static Map<String, Object> choice(List<String> values) {
    List<Object> all = new ArrayList<>(values);
    all.add(null);
    return map("enum", all);
  }

  private static Map<String, Object> string(int maxLength) {
    Map<String, Object> schema = map("type", List.of("string", "null"));
    if (maxLength > 0) {
      schema.put("maxLength", maxLength);
    }
    return schema;
  }

  private static Map<String, Object> pattern(String regex) {
    return map("type", List.of("string", "null"), "pattern", "^(?:" + regex + ")$");
  }

  private static Map<String, Object> array(Object items, int maxItems) {
    return map("type", List.of("array", "null"), "items", items, "maxItems", maxItems);
  }

  private static Map<String, Object> command() {
    Map<String, Object> command = array(map("type", "string", "maxLength",
        Commands.MAX_ARGUMENT_LENGTH), Commands.MAX_ARGUMENTS);
    command.put("type", "array");
    command.put("minItems", 1);
    return command;
  }

  private static Map<String, Object> commands(int max) {
    return array(command(), max);
  }

  private static Map<String, Object> approvers() {
    return array(map("type", "string", "pattern", "^(?:" + Approvers.ENTRY.pattern() + ")$"),
        GatesSection.MAX_APPROVERS);
  }

  private static Map<String, Object> whole(long min, long max) {
    return map("type", List.of("integer", "null"), "minimum", min, "maximum", max);
  }

  /** A number, or a string of digits so that amounts travel exactly. */
  private static Map<String, Object> amount(BigDecimal min, BigDecimal max) {
    return map("anyOf", List.of(
        map("type", "number", "minimum", min, "maximum", max),
        map("type", "string", "pattern", "^-?[0-9]{1,18}(?:\\.[0-9]{1,30})?$"),
        map("type", "null")));
  }

  private static Map<String, Object> duration() {
    return map("type", List.of("string", "null"), "pattern", "^(?=.)" + Quantities.DURATION.pattern()
        + "$", "description", "a duration such as 90s, 30m, 4h, 1d or 1h30m (units s, m, h, d,"
        + " largest first)");
  }

  private static Map<String, Object> size(Bound bound) {
    return map("anyOf", List.of(
        map("type", "integer", "minimum", bound.min(), "maximum", bound.max()),
        map("type", "string", "pattern", "^" + Quantities.SIZE.pattern() + "$"),
        map("type", "null")),
        "description", "a size such as 512m or 2g (k, m, g are binary units; a plain number is"
            + " bytes), " + Quantities.formatSize(bound.min()) + " to "
            + Quantities.formatSize(bound.max()));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Just enough JSON for the schema: maps, lists, strings, numbers, booleans and null. */
  static final class Json {

    private Json() {}

    static void write(StringBuilder out, Object value, int indent) {
      if (value instanceof Map<?, ?> map) {
        if (map.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          pad(out, indent + 2);
          string(out, (String) entry.getKey());
          out.append(": ");
          write(out, entry.getValue(), indent + 2);
          out.append(++i < map.size() ? ",\n" : "\n");
        }
        pad(out, indent);
        out.append('}');
      } else if (value instanceof List<?> list) {
        if (list.stream().allMatch(v -> !(v instanceof Map) && !(v instanceof List))) {
          out.append('[');
          for (int i = 0; i < list.size(); i++) {
            write(out, list.get(i), indent);
            out.append(i + 1 < list.size() ? ", " : "");
          }
          out.append(']');
          return;
        }
        out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
          pad(out, indent + 2);
          write(out, list.get(i), indent + 2);
          out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        pad(out, indent);
        out.append(']');
      } else if (value instanceof String text) {
        string(out, text);
      } else if (value instanceof BigDecimal decimal) {
        out.append(decimal.toPlainString());
      } else {
        out.append(value);
      }
    }

    private static void pad(StringBuilder out, int indent) {
      out.append(" ".repeat(indent));
    }

    private static void string(StringBuilder out, String text) {
      out.append('"');
      for (char c : text.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }
}
