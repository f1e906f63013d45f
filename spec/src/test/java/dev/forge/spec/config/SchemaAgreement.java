package dev.forge.spec.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.forge.spec.InvalidSpecException;
import dev.forge.spec.Refusal;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the JSON Schema to the parser: every config a test parses goes through here, so each test
 * of the parser is also a drift test of {@link ForgeSchema}. A config the parser accepts must pass
 * the schema; a config the parser refuses for a structural reason (an unknown key, a wrong type, a
 * missing required key) must fail it.
 */
final class SchemaAgreement {

  /** Rules a schema can express; the others need more than one field or the value's meaning. */
  private static final Set<String> STRUCTURAL = Set.of("unknown", "type");
  /** Where the schema says {@code required}. */
  private static final Set<String> REQUIRED_KEYS = Set.of("version", "loop", "sandbox",
      "loop.agent", "loop.agent.command", "loop.cost_cap_usd", "sandbox.image");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA = SchemaRegistry
      .withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
      .getSchema(ForgeSchema.json());
  private static final ForgeConfigParser PARSER = new ForgeConfigParser();

  private SchemaAgreement() {}

  static ParsedConfig parse(Object tree) {
    if (!isTree(tree, Collections.newSetFromMap(new IdentityHashMap<>()))) {
      // A recursive structure (YAML anchors can make one) has no JSON form to check.
      return PARSER.parse(tree);
    }
    ParsedConfig parsed;
    try {
      parsed = PARSER.parse(tree);
    } catch (InvalidSpecException e) {
      refusedToo(tree, e.refusals());
      throw e;
    }
    accepted(tree);
    return parsed;
  }

  static ParsedConfig parseYaml(String yaml) {
    Object tree;
    try {
      tree = YamlLoader.load(yaml);
    } catch (InvalidSpecException e) {
      // Not YAML the loader reads (syntax, size, aliases): nothing for a schema to say.
      return PARSER.parseYaml(yaml);
    }
    ParsedConfig parsed = parse(tree);
    assertThat(PARSER.parseYaml(yaml)).isEqualTo(parsed);
    return parsed;
  }

  private static boolean isTree(Object value, Set<Object> above) {
    if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
      return true;
    }
    if (!above.add(value)) {
      return false;
    }
    Collection<?> children = value instanceof Map<?, ?> map ? map.values() : (List<?>) value;
    for (Object child : children) {
      if (!isTree(child, above)) {
        return false;
      }
    }
    above.remove(value);
    return true;
  }

  /** The schema's complaints about {@code tree}; empty when it passes. */
  static List<Error> schemaErrors(Object tree) {
    JsonNode node = JSON.valueToTree(tree);
    return SCHEMA.validate(node);
  }

  private static void accepted(Object tree) {
    assertThat(schemaErrors(tree))
        .as("docs/forge.schema.json must accept every config the parser accepts: %s", tree)
        .isEmpty();
  }

  private static void refusedToo(Object tree, List<Refusal> refusals) {
    boolean structural = refusals.stream().anyMatch(r -> STRUCTURAL.contains(r.rule())
        || r.rule().equals("required") && REQUIRED_KEYS.contains(r.field()));
    if (structural) {
      assertThat(schemaErrors(tree))
          .as("docs/forge.schema.json must refuse what the parser refuses as %s: %s", refusals,
              tree)
          .isNotEmpty();
    }
  }
}
