package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static dev.forge.spec.config.ConfigFixtures.yamlErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.InvalidSpecException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Literal secrets anywhere in the config are refused and never repeated. */
class SecretRulesTest {

  private static final String KEY = "sk-ant-api03-Zq8vR2xT7mK4pL9wN3bY6cF1dH5jG0sA-uE8iO2rT4yU6";
  private static final String TOKEN = "Zq8vR2xT7mK4pL9wN3bY6cF1";
  private static final String ADVICE = "looks like a literal secret; put it in a host environment"
      + " variable and name that variable under credentials.env";

  @Test
  void shouldRefuseASecretInTheAgentCommand() {
    Refusal error = onlyError(minimalWith("loop.agent.command",
        list("agent", "--key=" + KEY, "{prompt}")), "loop.agent.command[1]", "secret");

    assertThat(error.detail()).isEqualTo("loop.agent.command[1] " + ADVICE);
  }

  @Test
  void shouldRefuseATokenAfterASecretFlagInAnArgumentList() {
    onlyError(minimalWith("loop.agent.command", list("aider", "--api-key", TOKEN, "{prompt}")),
        "loop.agent.command[2]", "secret");
  }

  @Test
  void shouldRefuseSecretsInChecksGatesAndImage() {
    Map<String, Object> tree = minimalWith("loop.checks", list(list("curl", "-H",
        "Authorization: Bearer " + TOKEN)));
    ConfigFixtures.set(tree, "gates", map("production_deploy",
        map("run", list(list("deploy", "--token", TOKEN)))));
    ConfigFixtures.set(tree, "sandbox.image", "forge/x:" + "AKIAIOSFODNN7EXAMPLE");

    assertThat(errors(tree)).extracting(Refusal::field, Refusal::rule).containsExactlyInAnyOrder(
        tuple("loop.checks[0][2]", "secret"),
        tuple("gates.production_deploy.run[0][2]", "secret"),
        tuple("sandbox.image", "secret"));
  }

  @Test
  void shouldRefuseSecretsUnderUnknownKeysToo() {
    // The secret is what matters most; other errors on a field holding one are held back.
    onlyError(minimalWith("loop.api_key", KEY), "loop.api_key", "secret");
  }

  @Test
  void shouldNotRepeatASecretKeyInFieldPaths() {
    List<Refusal> errors = errors(minimalWith("loop", map("AKIAIOSFODNN7EXAMPLE", "x",
        "agent", map("command", list("agent")), "cost_cap_usd", 1)));

    assertThat(errors).extracting(Refusal::field, Refusal::rule)
        .containsExactly(tuple("loop[<redacted>]", "secret"));
    assertThat(errors.get(0).detail()).doesNotContain("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void shouldNeverEchoASecretInAnyMessage() {
    Map<String, Object> tree = minimalWith("loop.completion_promise", KEY + "\n");
    ConfigFixtures.set(tree, "loop.mode", KEY);
    ConfigFixtures.set(tree, "loop.prompt_file", "/" + KEY);
    ConfigFixtures.set(tree, "sandbox.image", KEY);
    ConfigFixtures.set(tree, "sandbox.limits.memory", KEY);
    ConfigFixtures.set(tree, "credentials.env", map("API_KEY", KEY, "OTHER", TOKEN));
    ConfigFixtures.set(tree, "gates", map("deploy", map("approvers", list(KEY), "timeout", KEY)));

    InvalidSpecException e = catchThrowableOfType(
        InvalidSpecException.class, () -> parse(tree));

    assertThat(e.refusals()).hasSizeGreaterThanOrEqualTo(9).allSatisfy(error -> {
      assertThat(error.detail()).doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain("Zq8vR2");
      assertThat(error.rule()).isEqualTo("secret");
    });
    assertThat(e.getMessage()).doesNotContain("Zq8vR2");
  }

  @Test
  void shouldScanYamlSetsToo() {
    Map<String, Object> tree = minimalWith("extra", new LinkedHashSet<>(List.of(KEY)));

    assertThat(errors(tree)).extracting(Refusal::field, Refusal::rule)
        .containsExactly(tuple("extra", "unknown"), tuple("extra[0]", "secret"));
  }

  @Test
  void shouldNotRepeatASecretFromYamlText() {
    List<Refusal> errors = yamlErrors(ConfigFixtures.MINIMAL_YAML + "token: " + KEY + "\n");

    assertThat(errors).isNotEmpty().allSatisfy(error ->
        assertThat(error.detail()).doesNotContain(KEY));
  }

  @Test
  void shouldAcceptOrdinaryValuesEverywhere() {
    Map<String, Object> tree = minimalWith("loop.agent.command", list("claude", "-p", "{prompt}",
        "--output-format", "json", "--dangerously-skip-permissions", "--max-tokens", "4096"));
    ConfigFixtures.set(tree, "loop.checks", list(list("bash", "-c", "API_KEY=$API_KEY tests/run.sh")));
    ConfigFixtures.set(tree, "credentials.env", map("ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"));

    assertThat(parse(tree).config().agentCommand()).contains("--dangerously-skip-permissions");
  }
}
