package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.spec.Refusal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code credentials:}. */
class CredentialsRulesTest {

  @Test
  void shouldMapSandboxNamesToHostNames() {
    Map<String, String> env = parse(minimalWith("credentials.env",
        map("ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY", "GH_TOKEN", "CI_GITHUB_TOKEN")))
        .config().sandbox().env();

    assertThat(env).containsExactlyInAnyOrderEntriesOf(
        Map.of("ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY", "GH_TOKEN", "CI_GITHUB_TOKEN"));
  }

  @Test
  void shouldAcceptEmptyCredentials() {
    assertThat(parse(minimalWith("credentials", map())).config().sandbox().env()).isEmpty();
    assertThat(parse(minimalWith("credentials.env", map())).config().sandbox().env()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HOME", "PATH", "USER", "HOSTNAME", "LD_PRELOAD", "LD_LIBRARY_PATH",
      "LD_AUDIT", "FORGE_LOOP_ID"})
  void shouldRefuseReservedSandboxNames(String name) {
    Refusal error = onlyError(minimalWith("credentials.env", map(name, "SOME_KEY")),
        "credentials.env." + name, "reserved");

    assertThat(error.detail()).contains(name).contains("choose another name");
  }

  @Test
  void shouldNeverHandOutForgeHostVariables() {
    // EnvPolicy.isForgeSetting; SPRING_* and the JVM's options are refused by the operator
    // policy (rule policy, LoopPolicyTest) with the rest of EnvPolicy.isForgeOwn.
    onlyError(minimalWith("credentials.env", map("DB", "FORGE_DB_PASSWORD")), "credentials.env.DB",
        "reserved");
    assertThat(parse(minimalWith("credentials.env", map("DB", "SPRING_DATASOURCE_PASSWORD")))
        .config().sandbox().env()).containsEntry("DB", "SPRING_DATASOURCE_PASSWORD");
  }

  @Test
  void shouldRefuseSandboxNamesThatAreNotVariableNames() {
    onlyError(minimalWith("credentials.env", map("api_key", "API_KEY")), "credentials.env.api_key",
        "format");
    onlyError(minimalWith("credentials.env", map("1KEY", "API_KEY")), "credentials.env.1KEY", "format");
    Refusal error = onlyError(minimalWith("credentials.env", map("MY KEY", "API_KEY")),
        "credentials.env['MY KEY']", "format");
    assertThat(error.detail()).contains("[A-Z_][A-Z0-9_]{0,127}");
  }

  @Test
  void shouldRefuseAValueThatIsNotAVariableNameWithoutRepeatingIt() {
    Refusal error = onlyError(minimalWith("credentials.env", map("API_KEY", "hunter2 is my pw")),
        "credentials.env.API_KEY", "format");

    assertThat(error.detail()).isEqualTo("must name a host environment variable, e.g."
        + " ANTHROPIC_API_KEY, never hold its value");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "sk-ant-api03-Zq8vR2xT7mK4pL9wN3bY6cF1dH5jG0sA-uE8iO2rT4yU6",
      "a8F3kd92LmQ0zX7pR4tYw1Bc",
      "ghp_R4nd0mT0k3nV4lu3sAr3L0ng3n0ughT0M4tch"})
  void shouldRefuseALiteralSecretAsValue(String secret) {
    Refusal error = onlyError(minimalWith("credentials.env", map("API_KEY", secret)),
        "credentials.env.API_KEY", "secret");

    assertThat(error.detail()).doesNotContain(secret)
        .contains("looks like a literal secret; put it in a host environment variable and name that"
            + " variable under credentials.env");
  }

  @Test
  void shouldCheckTypesAndCount() {
    errorFor("credentials", list("ANTHROPIC_API_KEY"), "type");
    errorFor("credentials.env", list("ANTHROPIC_API_KEY"), "type");
    onlyError(minimalWith("credentials.env", map("API_KEY", 5)), "credentials.env.API_KEY", "type");
    Map<String, Object> many = new LinkedHashMap<>();
    for (int i = 0; i < 33; i++) {
      many.put("KEY_" + i, "KEY_" + i);
    }
    assertThat(errorFor("credentials.env", many, "range").detail()).contains("at most 32");
  }

  @Test
  void shouldReportEveryBadEntry() {
    List<Refusal> errors = errors(minimalWith("credentials.env",
        map("HOME", "HOME_DIR", "ok", "OK", "TOKEN", "not a name")));

    assertThat(errors).extracting(Refusal::field).containsExactly(
        "credentials.env.HOME", "credentials.env.ok", "credentials.env.TOKEN");
  }
}
