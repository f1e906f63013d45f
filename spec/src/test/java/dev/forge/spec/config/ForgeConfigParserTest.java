package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.minimalWithout;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static dev.forge.spec.config.ConfigFixtures.parseYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.loop.GateConfig;
import dev.forge.spec.loop.LoopConfig;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.spec.sandbox.SandboxMount;
import dev.forge.spec.sandbox.UsageFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForgeConfigParserTest {

  @Test
  void shouldParseTheDocumentedExample() throws IOException {
    String yaml = Files.readString(Path.of("..", "forge.yml"), StandardCharsets.UTF_8);

    ParsedConfig parsed = parseYaml(yaml);

    LoopConfig config = parsed.config();
    assertThat(parsed.mode()).isEqualTo("afk");
    assertThat(parsed.promptFile()).isEqualTo("PROMPT.md");
    assertThat(config.agentCommand()).containsExactly("forge-demo-agent", "--think", "2", "{prompt}");
    assertThat(config.usage()).isEqualTo(UsageFormat.FORGE_USAGE);
    assertThat(config.completionPromise()).isEqualTo("LOOP_COMPLETE");
    assertThat(config.checks()).containsExactly(List.of("bash", "tests/run.sh"));
    assertThat(config.maxIterations()).isEqualTo(10);
    assertThat(config.maxRuntimeSeconds()).isEqualTo(30 * 60);
    assertThat(config.costCapUsd()).isEqualByComparingTo("1.00");
    assertThat(config.noProgressIterations()).isEqualTo(3);
    assertThat(config.repeatedFailureLimit()).isEqualTo(3);
    assertThat(config.sandbox().image()).isEqualTo("forge/demo-agent:0.1.0-bookworm");
    assertThat(config.sandbox().network()).isEqualTo(NetworkMode.NONE);
    assertThat(config.sandbox().allowedHosts()).isEmpty();
    assertThat(config.sandbox().mounts()).isEmpty();
    assertThat(config.sandbox().runtime()).isNull();
    assertThat(config.sandbox().limits()).isEqualTo(
        new SandboxLimits(256L << 20, 1_000_000_000L, 128, 300, 64L << 20, 1L << 20, 1L << 30));
    assertThat(config.sandbox().env()).isEmpty();
    assertThat(config.gates()).containsExactly(new GateConfig("production_deploy",
        List.of("group:team-lead"), 24 * 3600, GateConfig.OnTimeout.REJECT,
        List.of(List.of("bash", "deploy.sh")), 1, List.of(), 0, 0, false, false, true));
  }

  @Test
  void shouldDocumentTheClaudeAndAiderAgentsInTheExample() throws IOException {
    String yaml = Files.readString(Path.of("..", "forge.yml"), StandardCharsets.UTF_8);

    assertThat(yaml)
        .contains("[\"claude\", \"-p\", \"{prompt}\", \"--output-format\", \"json\",")
        .contains("\"--max-budget-usd\", \"{budget_usd}\", \"--dangerously-skip-permissions\"]")
        .contains("usage: claude-json")
        .contains("ANTHROPIC_API_KEY: ANTHROPIC_API_KEY")
        .contains("[\"aider\", \"--yes-always\", \"--message\", \"{prompt}\"]")
        .contains("usage: aider")
        .contains("[\"codex\", \"exec\", \"--json\", \"{prompt}\"]")
        .contains("usage: codex-jsonl")
        .contains("OPENAI_API_KEY: OPENAI_API_KEY")
        .doesNotContain("not supported");
  }

  @Test
  void shouldParseTheExampleWithItsCommentedCodexAgentSwitchedOn() throws IOException {
    String yaml = Files.readString(Path.of("..", "forge.yml"), StandardCharsets.UTF_8);
    String codexCommand = "    #   command: [\"codex\", \"exec\", \"--json\", \"{prompt}\"]\n";
    String codexUsage = "    #   usage: codex-jsonl\n";
    assertThat(yaml).contains(codexCommand).contains(codexUsage);
    String switched = yaml
        .replace("    command: [\"forge-demo-agent\", \"--think\", \"2\", \"{prompt}\"]\n", "")
        .replace("    usage: forge-usage\n", "")
        .replace(codexCommand, codexCommand.replace("    #   ", "    "))
        .replace(codexUsage, codexUsage.replace("    #   ", "    "));

    LoopConfig config = parseYaml(switched).config();

    assertThat(config.agentCommand()).containsExactly("codex", "exec", "--json", "{prompt}");
    assertThat(config.usage()).isEqualTo(UsageFormat.CODEX_JSONL);
  }

  @Test
  void shouldDocumentNetworkMountsAndRuntimeInTheExample() throws IOException {
    String yaml = Files.readString(Path.of("..", "forge.yml"), StandardCharsets.UTF_8);

    assertThat(yaml)
        .contains("mode: restricted")
        .contains("*.example.org:443")
        .contains("read_only: [tests]")
        .contains("runtime: runsc")
        .contains("docker info")
        .contains("disk: ")
        .doesNotContain("(rejected as unsupported): mounts")
        .doesNotContain("is planned but not available yet");
  }

  @Test
  void shouldParseTheExampleWithItsCommentedSandboxOptionsSwitchedOn() throws IOException {
    String yaml = Files.readString(Path.of("..", "forge.yml"), StandardCharsets.UTF_8)
        .replace("    mode: none\n", "    mode: restricted\n")
        .replace("    allowed: []\n", "    allowed: [\"pkgs.example:443\", \"*.cdn.example:443\"]\n")
        .replace("  # mounts:\n  #   read_only: [tests]\n  #   read_write: [\"build-cache:/cache\"]\n",
            "  mounts:\n    read_only: [tests]\n    read_write: [\"build-cache:/cache\"]\n")
        .replace("  # runtime: runsc\n", "  runtime: runsc\n");

    SandboxConfig sandbox = parseYaml(yaml).config().sandbox();

    assertThat(sandbox.network()).isEqualTo(NetworkMode.RESTRICTED);
    assertThat(sandbox.allowedHosts()).containsExactly("pkgs.example:443", "*.cdn.example:443");
    assertThat(sandbox.mounts()).containsExactly(
        new SandboxMount("tests", "/workspace/tests", true),
        new SandboxMount("build-cache", "/cache", false));
    assertThat(sandbox.runtime()).isEqualTo("runsc");
  }

  @Test
  void shouldFillEveryDefaultForAMinimalConfig() {
    ParsedConfig parsed = parseYaml(ConfigFixtures.MINIMAL_YAML);

    LoopConfig config = parsed.config();
    assertThat(parsed.mode()).isEqualTo("afk");
    assertThat(parsed.promptFile()).isNull();
    assertThat(config.agentCommand()).containsExactly("agent", "{prompt}");
    assertThat(config.usage()).isEqualTo(UsageFormat.FORGE_USAGE);
    assertThat(config.completionPromise()).isEqualTo("LOOP_COMPLETE");
    assertThat(config.checks()).isEmpty();
    assertThat(config.maxIterations()).isEqualTo(20);
    assertThat(config.maxRuntimeSeconds()).isEqualTo(4 * 3600);
    assertThat(config.costCapUsd()).isEqualTo(new BigDecimal("10.00"));
    assertThat(config.noProgressIterations()).isEqualTo(3);
    assertThat(config.repeatedFailureLimit()).isEqualTo(3);
    assertThat(config.sandbox().image()).isEqualTo(ConfigFixtures.IMAGE);
    assertThat(config.sandbox().network()).isEqualTo(NetworkMode.NONE);
    assertThat(config.sandbox().allowedHosts()).isEmpty();
    assertThat(config.sandbox().mounts()).isEmpty();
    assertThat(config.sandbox().runtime()).isNull();
    assertThat(config.sandbox().limits()).isEqualTo(
        new SandboxLimits(2L << 30, 2_000_000_000L, 256, 3600, 512L << 20, 8L << 20, 10L << 30));
    assertThat(config.sandbox().env()).isEmpty();
    assertThat(config.gates()).isEmpty();
  }

  @Test
  void shouldTreatExplicitNullsAsDefaults() {
    Map<String, Object> tree = minimalWith("loop.max_iterations", null);
    ConfigFixtures.set(tree, "sandbox.limits", null);
    ConfigFixtures.set(tree, "gates", null);

    LoopConfig config = parse(tree).config();

    assertThat(config.maxIterations()).isEqualTo(20);
    assertThat(config.sandbox().limits().memoryBytes()).isEqualTo(2L << 30);
    assertThat(config.gates()).isEmpty();
  }

  @Test
  void shouldAcceptJsonShapedNumbers() {
    Map<String, Object> tree = minimalWith("loop.max_iterations", 30L);
    ConfigFixtures.set(tree, "loop.cost_cap_usd", new BigDecimal("12.345678"));
    ConfigFixtures.set(tree, "sandbox.limits", map("cpu", 1.5d, "pids", new BigDecimal("100"),
        "memory", BigInteger.valueOf(1L << 30), "output", 65536.0d));

    LoopConfig config = parse(tree).config();

    assertThat(config.maxIterations()).isEqualTo(30);
    assertThat(config.costCapUsd()).isEqualByComparingTo("12.345678");
    assertThat(config.sandbox().limits().nanoCpus()).isEqualTo(1_500_000_000L);
    assertThat(config.sandbox().limits().pids()).isEqualTo(100);
    assertThat(config.sandbox().limits().memoryBytes()).isEqualTo(1L << 30);
    assertThat(config.sandbox().limits().outputBytes()).isEqualTo(65536);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "10.00", "\"10.00\"", "'10'", "1_0"})
  void shouldAcceptTheCostCapAsIntegerDecimalOrString(String written) {
    String yaml = ConfigFixtures.MINIMAL_YAML.replace("cost_cap_usd: 10", "cost_cap_usd: " + written);

    assertThat(parseYaml(yaml).config().costCapUsd()).isEqualTo(new BigDecimal("10.00"));
  }

  @Test
  void shouldKeepGatesInTheOrderWritten() {
    Map<String, Object> gates = map("zeta", null, "alpha", map("approvers", list("ops")),
        "database_migration", map());

    List<GateConfig> parsed = parse(minimalWith("gates", gates)).config().gates();

    assertThat(parsed).extracting(GateConfig::name)
        .containsExactly("zeta", "alpha", "database_migration");
    assertThat(parsed.get(0).timeoutSeconds()).isEqualTo(24 * 3600);
    assertThat(parsed.get(0).approvers()).isEmpty();
    assertThat(parsed.get(0).run()).isEmpty();
    assertThat(parsed.get(0).onTimeout()).isEqualTo(GateConfig.OnTimeout.REJECT);
  }

  @Test
  void shouldReportEveryErrorAtOnce() {
    Map<String, Object> tree = minimalWith("loop.max_iterations", 0);
    ConfigFixtures.set(tree, "loop.checks", list(list("bash", 5)));
    ConfigFixtures.set(tree, "sandbox.limits.memory", "2x");
    ConfigFixtures.set(tree, "sandbox.image", "forge/sandbox:latest");
    ConfigFixtures.set(tree, "gates", map("production_deploy", map("timeout", "0m", "colour", "red")));
    ConfigFixtures.set(tree, "extra", true);

    assertThat(errors(tree)).extracting(Refusal::field, Refusal::rule).containsExactlyInAnyOrder(
        tuple("extra", "unknown"),
        tuple("loop.checks[0][1]", "type"),
        tuple("loop.max_iterations", "range"),
        tuple("sandbox.image", "format"),
        tuple("sandbox.limits.memory", "format"),
        tuple("gates.production_deploy.colour", "unknown"),
        tuple("gates.production_deploy.timeout", "range"));
  }

  @Test
  void shouldRefuseUnknownKeysAtEveryLevel() {
    Map<String, Object> tree = minimalWith("surprise", 1);
    ConfigFixtures.set(tree, "loop.surprise", 1);
    ConfigFixtures.set(tree, "loop.agent.surprise", 1);
    ConfigFixtures.set(tree, "sandbox.surprise", 1);
    ConfigFixtures.set(tree, "sandbox.network.surprise", 1);
    ConfigFixtures.set(tree, "sandbox.mounts.surprise", 1);
    ConfigFixtures.set(tree, "sandbox.limits.surprise", 1);
    ConfigFixtures.set(tree, "credentials.surprise", 1);
    ConfigFixtures.set(tree, "gates.deploy.surprise", 1);

    List<Refusal> errors = errors(tree);

    assertThat(errors).extracting(Refusal::field).containsExactlyInAnyOrder(
        "surprise", "loop.surprise", "loop.agent.surprise", "sandbox.surprise",
        "sandbox.network.surprise", "sandbox.mounts.surprise", "sandbox.limits.surprise",
        "credentials.surprise",
        "gates.deploy.surprise");
    assertThat(errors).extracting(Refusal::rule).containsOnly("unknown");
    assertThat(errors.get(0).detail()).contains("'surprise'")
        .contains("version, loop, sandbox, credentials, gates");
  }

  @Test
  void shouldSuggestTheKeyATypoMeant() {
    Refusal error = onlyError(minimalWith("loop.max-iterations", 5), "loop.max-iterations",
        "unknown");

    assertThat(error.detail()).contains("did you mean 'max_iterations'?");
  }

  @Test
  void shouldRefuseNonStringKeys() {
    Map<Object, Object> root = new LinkedHashMap<>(minimal());
    root.put(Boolean.TRUE, "x");

    Refusal error = onlyError(root, "true", "type");

    assertThat(error.detail()).contains("keys must be strings");
  }

  @Test
  void shouldRequireVersionLoopAndSandbox() {
    assertThat(errors(map())).extracting(Refusal::field, Refusal::rule).containsExactly(
        tuple("version", "required"), tuple("loop", "required"), tuple("sandbox", "required"));
  }

  @Test
  void shouldRefuseADocumentThatIsNotAMapping() {
    Refusal error = onlyError(list("version", 1), "forge.yml", "type");

    assertThat(error.detail()).contains("must be a mapping").contains("got a list");
  }

  @Test
  void shouldRefuseOtherSchemaVersions() {
    assertThat(errorFor("version", 2, "unsupported").detail()).contains("version: 1");
    assertThat(errorFor("version", "1", "type").detail()).contains("the number 1");
  }
}
