package dev.forge.spec.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed JSON Schema is the one {@link ForgeSchema} builds from the parser's definitions, and
 * every example in the repository passes both. (Every parser test is a drift test too: {@link
 * SchemaAgreement}.) After changing a rule, write the file again with
 * {@code mvn -pl spec test -Dtest=ForgeSchemaTest -Dforge.write-schema=true}.
 */
class ForgeSchemaTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMMITTED = ROOT.resolve("docs/forge.schema.json");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void shouldBeTheSchemaTheParsersDefinitionsBuild() throws IOException {
    String built = ForgeSchema.json();
    if (Boolean.getBoolean("forge.write-schema")) {
      Files.writeString(COMMITTED, built, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as("docs/forge.schema.json is stale; write it again: mvn -pl spec test"
            + " -Dtest=ForgeSchemaTest -Dforge.write-schema=true")
        .isEqualTo(built);
  }

  @Test
  void shouldDescribeEveryKeyTheParserReads() {
    assertThat(ForgeSchema.json()).as("every key of every section has a schema of its own")
        .doesNotContain("{}");
  }

  @Test
  void shouldAcceptTheAnnotatedForgeYmlWithItsEditorLine() throws IOException {
    String yaml = Files.readString(ROOT.resolve("forge.yml"), StandardCharsets.UTF_8);

    assertThat(yaml).startsWith("# yaml-language-server: $schema=docs/forge.schema.json\n");
    SchemaAgreement.parseYaml(yaml);
  }

  @Test
  void shouldAcceptEveryForgeYmlExampleInTheDocsMergedIntoAMinimalConfig() throws IOException {
    List<String> checked = new ArrayList<>();
    List<Path> docs;
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      docs = new ArrayList<>(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
    }
    docs.add(ROOT.resolve("README.md"));
    for (Path doc : docs) {
      Matcher block = YAML_BLOCK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
      while (block.find()) {
        Object tree = YamlLoader.load(block.group(1));
        if (!(tree instanceof Map<?, ?> map) || map.isEmpty()
            || !ForgeConfigParser.KEYS.containsAll(map.keySet())) {
          continue; // not forge.yml (operator policy, Spring properties)
        }
        Map<String, Object> config = ConfigFixtures.minimal();
        merge(config, map);
        SchemaAgreement.parse(config);
        checked.add(ROOT.relativize(doc) + " at offset " + block.start());
      }
    }
    assertThat(checked).as("forge.yml examples found in the docs").hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void shouldRefuseAnUnknownKeyAtEveryLevelLikeTheParser() {
    for (String path : List.of("surprise", "loop.surprise", "loop.agent.surprise",
        "loop.no_progress.surprise", "sandbox.surprise", "sandbox.network.surprise",
        "sandbox.limits.surprise", "sandbox.mounts.surprise", "credentials.surprise")) {
      Map<String, Object> config = ConfigFixtures.minimal();
      ConfigFixtures.set(config, "loop.no_progress", new LinkedHashMap<>());
      ConfigFixtures.set(config, "sandbox.network", new LinkedHashMap<>());
      ConfigFixtures.set(config, "sandbox.limits", new LinkedHashMap<>());
      ConfigFixtures.set(config, "sandbox.mounts", new LinkedHashMap<>());
      ConfigFixtures.set(config, "credentials", new LinkedHashMap<>());
      ConfigFixtures.set(config, path, 1);
      assertThat(SchemaAgreement.schemaErrors(config)).as(path).isNotEmpty();
      assertThat(ConfigFixtures.errors(config)).as(path)
          .anySatisfy(r -> assertThat(r.rule()).isEqualTo("unknown"));
    }
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<?, ?> from) {
    for (Map.Entry<?, ?> entry : from.entrySet()) {
      String key = (String) entry.getKey();
      Object existing = into.get(key);
      if (existing instanceof Map<?, ?> && entry.getValue() instanceof Map<?, ?> value) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
        merge(copy, value);
        into.put(key, copy);
      } else {
        into.put(key, entry.getValue());
      }
    }
  }
}
