package dev.forge.spec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.forge.spec.Refusal;
import dev.forge.spec.InvalidSpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config trees and error lookups shared by the parser tests. */
final class ConfigFixtures {

  static final String IMAGE = "forge/sandbox:0.1.0-bookworm";

  static final String MINIMAL_YAML = """
      version: 1
      loop:
        agent:
          command: [agent, "{prompt}"]
        cost_cap_usd: 10
      sandbox:
        image: forge/sandbox:0.1.0-bookworm
      """;

  private ConfigFixtures() {}

  /** The smallest valid config, as mutable JSON-shaped maps. */
  static Map<String, Object> minimal() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    root.put("loop", map("agent", map("command", list("agent", "{prompt}")), "cost_cap_usd", 10));
    root.put("sandbox", map("image", IMAGE));
    return root;
  }

  /** {@link #minimal()} with the value at a dotted path replaced (or added). */
  static Map<String, Object> minimalWith(String path, Object value) {
    Map<String, Object> root = minimal();
    set(root, path, value);
    return root;
  }

  /** {@link #minimal()} with the value at a dotted path removed. */
  static Map<String, Object> minimalWithout(String path) {
    Map<String, Object> root = minimal();
    String[] parts = path.split("\\.");
    parent(root, parts).remove(parts[parts.length - 1]);
    return root;
  }

  static void set(Map<String, Object> root, String path, Object value) {
    String[] parts = path.split("\\.");
    parent(root, parts).put(parts[parts.length - 1], value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(Map<String, Object> root, String[] parts) {
    Map<String, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
    }
    return node;
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  /** Parses with the parser, and holds the JSON Schema to the outcome (SchemaAgreement). */
  static ParsedConfig parse(Object tree) {
    return SchemaAgreement.parse(tree);
  }

  static ParsedConfig parseYaml(String yaml) {
    return SchemaAgreement.parseYaml(yaml);
  }

  /** Every error the tree produces; fails when it parses. */
  static List<Refusal> errors(Object tree) {
    InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, () -> parse(tree));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.refusals();
  }

  static List<Refusal> yamlErrors(String yaml) {
    InvalidSpecException e =
        catchThrowableOfType(InvalidSpecException.class, () -> parseYaml(yaml));
    assertThat(e).as("expected the YAML to be refused").isNotNull();
    return e.refusals();
  }

  /** The single error the tree produces, which must be at {@code field} under {@code rule}. */
  static Refusal onlyError(Object tree, String field, String rule) {
    List<Refusal> errors = errors(tree);
    assertThat(errors).as("errors of %s", tree).hasSize(1);
    Refusal error = errors.get(0);
    assertThat(error.field()).isEqualTo(field);
    assertThat(error.rule()).as("rule of %s", error).isEqualTo(rule);
    return error;
  }

  /** The single error from setting {@code path} to {@code value} in the minimal config. */
  static Refusal errorFor(String path, Object value, String rule) {
    return onlyError(minimalWith(path, value), path, rule);
  }
}
