package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static dev.forge.spec.config.ConfigFixtures.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.loop.AgentModel;
import dev.forge.spec.loop.ModelProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code loop.agent.model}: the provider an agent reaches through the gateway. */
class ModelRulesTest {

  private static final String FIELD = "loop.agent.model";

  @Test
  void shouldHaveNoModelByDefault() {
    assertThat(parse(minimal()).config().model()).isNull();
  }

  @Test
  void shouldReadProviderCredentialAndPolicy() {
    AgentModel model = parse(minimalWith(FIELD, map("provider", "anthropic",
        "credential", "ANTHROPIC_API_KEY"))).config().model();

    assertThat(model).isEqualTo(new AgentModel(ModelProvider.ANTHROPIC, "ANTHROPIC_API_KEY",
        AgentModel.ToolResults.FLAG));
    assertThat(parse(minimalWith(FIELD, map("provider", "openai", "credential", "OPENAI_KEY",
        "tool_results", "refuse"))).config().model())
        .isEqualTo(new AgentModel(ModelProvider.OPENAI, "OPENAI_KEY",
            AgentModel.ToolResults.REFUSE));
  }

  @Test
  void shouldRefuseAnUnknownProviderNamingTheKnownOnes() {
    Refusal error = onlyError(minimalWith(FIELD, map("provider", "gemini", "credential", "KEY")),
        FIELD + ".provider", "format");

    assertThat(error.detail()).contains("gemini", "anthropic", "openai");
  }

  @Test
  void shouldRequireProviderAndCredential() {
    assertThat(errors(minimalWith(FIELD, map("provider", "anthropic"))))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(tuple(FIELD + ".credential", "required"));
    assertThat(errors(minimalWith(FIELD, map("credential", "KEY"))))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(tuple(FIELD + ".provider", "required"));
  }

  @Test
  void shouldRefuseALiteralKeyAsCredentialWithoutRepeatingIt() {
    String key = "sk-ant-api03-" + "x".repeat(40);
    Refusal error = onlyError(minimalWith(FIELD, map("provider", "anthropic", "credential", key)),
        FIELD + ".credential", "secret");

    assertThat(error.detail()).doesNotContain(key);
  }

  @Test
  void shouldRefuseForgesOwnSettingsAsCredential() {
    Refusal error = onlyError(minimalWith(FIELD, map("provider", "anthropic",
        "credential", "FORGE_API_TOKEN")), FIELD + ".credential", "reserved");

    assertThat(error.detail()).contains("FORGE_");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.anthropic.com:443", "*.anthropic.com:443", "api.anthropic.com:80"})
  void shouldRefuseAnAllowlistThatReachesTheProviderAroundTheGateway(String entry) {
    Map<String, Object> tree = minimalWith(FIELD, map("provider", "anthropic",
        "credential", "ANTHROPIC_API_KEY"));
    set(tree, "sandbox.network", map("mode", "restricted", "allowed", list(entry)));

    Refusal error = onlyError(tree, "sandbox.network.allowed", "conflict");

    assertThat(error.detail()).contains(entry, "model gateway");
  }

  @Test
  void shouldLetOtherDestinationsThrough() {
    Map<String, Object> tree = minimalWith(FIELD, map("provider", "anthropic",
        "credential", "ANTHROPIC_API_KEY"));
    set(tree, "sandbox.network", map("mode", "restricted", "allowed",
        list("pkgs.example:443", "anthropic.com:443")));

    assertThat(parse(tree).config().sandbox().allowedHosts())
        .containsExactly("pkgs.example:443", "anthropic.com:443");
  }

  @Test
  void shouldRefuseTheKeyAlsoHandedToTheSandbox() {
    Map<String, Object> tree = minimalWith(FIELD, map("provider", "anthropic",
        "credential", "ANTHROPIC_API_KEY"));
    set(tree, "credentials.env", map("ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"));

    Refusal error = onlyError(tree, FIELD + ".credential", "conflict");

    assertThat(error.detail()).contains("ANTHROPIC_API_KEY", "credentials.env");
  }

  @Test
  void shouldRefuseCredentialsThatSetTheVariablesTheGatewaySets() {
    Map<String, Object> tree = minimalWith(FIELD, map("provider", "openai",
        "credential", "OPENAI_KEY"));
    set(tree, "credentials.env", map("OPENAI_API_KEY", "OTHER_KEY"));

    Refusal error = onlyError(tree, FIELD + ".credential", "conflict");

    assertThat(error.detail()).contains("OPENAI_API_KEY", "remove it");
  }

  @Test
  void shouldRefuseUnknownKeysAndPolicies() {
    assertThat(onlyError(minimalWith(FIELD, map("provider", "anthropic", "credential", "K",
        "tool_results", "ignore")), FIELD + ".tool_results", "format").detail())
        .contains("flag", "refuse");
    assertThat(errors(minimalWith(FIELD, map("provider", "anthropic", "credential", "K",
        "upstream", "http://x")))).extracting(Refusal::rule).contains("unknown");
  }
}
