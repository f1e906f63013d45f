package dev.forge.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.api.problems.FieldError;
import dev.forge.spec.loop.LoopConfig;
import dev.forge.spec.policy.EnvGrant;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class LoopPolicyTest {

  private static final String REPO = "/srv/repos/shop";
  private static final HostResources TWO_CPUS = new HostResources() {
    @Override
    public int cpus() {
      return 2;
    }

    @Override
    public long memoryBytes() {
      return DataSize.ofGigabytes(16).toBytes();
    }

    @Override
    public Disk worktreeDisk() {
      return null;
    }
  };

  @Test
  void shouldAcceptAConfigWithinThePolicy() {
    assertThat(check(policy(), config(""))).isEmpty();
  }

  @Test
  void shouldRefuseAHostVariableNoGrantCoversNamingItAndNeverAValue() {
    // given only ANTHROPIC_API_KEY is granted, and only to alice
    PolicyProperties policy = new PolicyProperties(
        List.of(new EnvGrant(List.of("ANTHROPIC_API_KEY"), List.of(), List.of("alice"))),
        null, null, null, null, null);
    String yaml = config("""
        credentials:
          env: {KEY: ANTHROPIC_API_KEY, LEAK: CI_WEBHOOK_SECRET, DB: SPRING_DATASOURCE_PASSWORD}
        """);

    List<FieldError> asAlice = check(policy, yaml, "alice");
    List<FieldError> asBob = check(policy, yaml, "bob");

    assertThat(asAlice).extracting(FieldError::field, FieldError::rule).containsExactlyInAnyOrder(
        tuple("credentials.env.LEAK", "policy"), tuple("credentials.env.DB", "policy"));
    assertThat(asAlice).filteredOn(e -> e.field().endsWith("LEAK")).first()
        .extracting(FieldError::message).asString()
        .contains("CI_WEBHOOK_SECRET").contains("not granted").contains("forge.policy.env-grants");
    assertThat(asAlice).filteredOn(e -> e.field().endsWith("DB")).first()
        .extracting(FieldError::message).asString().contains("Forge's own");
    assertThat(asBob).extracting(FieldError::field).contains("credentials.env.KEY");
  }

  @Test
  void shouldGrantAModelKeyLikeASandboxVariableAndRefuseOneThatIsNotSet() {
    // given ANTHROPIC_API_KEY granted to alice only, and set on the host to a value never shown
    PolicyProperties policy = new PolicyProperties(
        List.of(new EnvGrant(List.of("ANTHROPIC_API_KEY", "UNSET_KEY"), List.of(),
            List.of("alice"))),
        null, null, null, null, null);
    String value = "sk-ant-api03-" + "v".repeat(40);
    Map<String, String> host = Map.of("ANTHROPIC_API_KEY", value);
    LoopPolicy loopPolicy = new LoopPolicy(policy, Set.of("CI_WEBHOOK_SECRET"),
        Optional.of(TWO_CPUS), host::get);
    String granted = config("");
    String yaml = granted.replace("agent: {command: [agent, \"{prompt}\"]}",
        "agent: {command: [agent, \"{prompt}\"], model: {provider: anthropic, credential: %s}}");

    List<FieldError> asAlice = loopPolicy.check(parse(yaml.formatted("ANTHROPIC_API_KEY")), REPO,
        "alice");
    List<FieldError> asBob = loopPolicy.check(parse(yaml.formatted("ANTHROPIC_API_KEY")), REPO,
        "bob");
    List<FieldError> unset = loopPolicy.check(parse(yaml.formatted("UNSET_KEY")), REPO, "alice");
    List<FieldError> webhook = loopPolicy.check(parse(yaml.formatted("CI_WEBHOOK_SECRET")), REPO,
        "alice");

    assertThat(asAlice).isEmpty();
    assertThat(asBob).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("loop.agent.model.credential");
      assertThat(e.message()).contains("ANTHROPIC_API_KEY", "not granted").doesNotContain(value);
    });
    assertThat(unset).singleElement().satisfies(e -> {
      assertThat(e.rule()).isEqualTo("unset");
      assertThat(e.message()).contains("UNSET_KEY", "not set");
    });
    assertThat(webhook).singleElement().extracting(FieldError::message).asString()
        .contains("Forge's own");
  }

  @Test
  void shouldRefuseAWebhookSourcesSecretVariableWhateverTheGrants() {
    LoopPolicy policy = new LoopPolicy(PolicyProperties.defaults(), Set.of("CI_WEBHOOK_SECRET"),
        Optional.empty());

    List<FieldError> errors = policy.check(parse(config("credentials: {env: {LEAK: CI_WEBHOOK_SECRET}}\n")),
        REPO, "alice");

    assertThat(errors).singleElement().extracting(FieldError::message).asString()
        .contains("CI_WEBHOOK_SECRET").contains("Forge's own settings or secrets");
  }

  @Test
  void shouldRefuseToStartWithAGrantOfForgesOwnOrAWebhookSecret() {
    assertThatThrownBy(() -> new PolicyProperties(List.of(new EnvGrant(
        List.of("SPRING_FLYWAY_PASSWORD"), null, null)), null, null, null, null, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("forge.policy.env-grants[0].env: SPRING_FLYWAY_PASSWORD");
    PolicyProperties grantsWebhookSecret = new PolicyProperties(List.of(new EnvGrant(
        List.of("CI_WEBHOOK_SECRET"), null, null)), null, null, null, null, null);
    assertThatThrownBy(() -> new LoopPolicy(grantsWebhookSecret, Set.of("CI_WEBHOOK_SECRET"),
        Optional.empty()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("webhook source's secret");
  }

  @Test
  void shouldRefuseEveryLimitAboveItsMaximumAndCpusAboveTheHosts() {
    PolicyProperties policy = new PolicyProperties(null, new PolicyProperties.Limits(
        DataSize.ofGigabytes(4), new BigDecimal(8), 512L, Duration.ofMinutes(30),
        DataSize.ofMegabytes(256), DataSize.ofMegabytes(16), DataSize.ofGigabytes(2), 50,
        Duration.ofHours(2), new BigDecimal("5")), null, null, null, null);
    String yaml = """
        version: 1
        loop:
          agent: {command: [agent, "{prompt}"]}
          cost_cap_usd: 6
          max_iterations: 51
          max_runtime: 3h
        sandbox:
          image: forge/sandbox:0.1.0-bookworm
          limits: {memory: 5g, cpu: 3, pids: 513, timeout: 31m, tmpfs: 257m, output: 17m, disk: 3g}
        """;

    List<FieldError> errors = new LoopPolicy(policy, Set.of(), Optional.of(TWO_CPUS))
        .check(parse(yaml), REPO, "alice");

    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder(
        "sandbox.limits.memory", "sandbox.limits.cpu", "sandbox.limits.pids",
        "sandbox.limits.timeout", "sandbox.limits.tmpfs", "sandbox.limits.output",
        "sandbox.limits.disk", "loop.max_iterations", "loop.max_runtime", "loop.cost_cap_usd");
    assertThat(errors).allSatisfy(e -> assertThat(e.rule()).isEqualTo("policy"));
    assertThat(message(errors, "sandbox.limits.cpu")).contains("at most 2").contains("Docker host has 2");
    assertThat(message(errors, "sandbox.limits.memory")).contains("5g").contains("at most 4g");
    assertThat(message(errors, "loop.max_runtime")).contains("3h").contains("at most 2h");
  }

  @Test
  void shouldRefuseImagesAndDestinationsThePolicyDoesNotName() {
    PolicyProperties policy = new PolicyProperties(null, null, List.of("registry.corp/forge/*"),
        List.of("*.pypi.corp:443"), null, null);
    String yaml = """
        version: 1
        loop:
          agent: {command: [agent, "{prompt}"]}
          cost_cap_usd: 1
        sandbox:
          image: forge/sandbox:0.1.0-bookworm
          network: {mode: restricted, allowed: [files.pypi.corp:443, evil.example:443]}
        """;

    List<FieldError> errors = check(policy, yaml);

    assertThat(errors).extracting(FieldError::field)
        .containsExactlyInAnyOrder("sandbox.image", "sandbox.network.allowed[1]");
    assertThat(message(errors, "sandbox.network.allowed[1]")).contains("evil.example:443");
  }

  @Test
  void shouldRefuseToDropOrWeakenARequiredGateButAcceptAStricterOne() {
    PolicyProperties policy = new PolicyProperties(null, null, null, null, Map.of(
        "production_deploy", new PolicyProperties.RequiredGate(2, true, Duration.ofHours(4),
            true, null, List.of("release-managers", "cto"))), null);

    List<FieldError> dropped = check(policy, config(""));
    List<FieldError> weaker = check(policy, config("""
        gates:
          production_deploy:
            approvers: [release-managers, intern]
            required_approvals: 1
            timeout: 2h
            on_timeout: escalate
            escalate_to: [anyone-else]
            escalation_timeout: 3h
        """));
    List<FieldError> stricter = check(policy, config("""
        gates:
          production_deploy:
            approvers: ["group:release-managers", "user:cto"]
            required_approvals: 3
            timeout: 1h
            require_backup: true
            rollback_plan: required
        """));

    assertThat(dropped).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("gates.production_deploy", "policy"));
    assertThat(message(dropped, "gates.production_deploy")).contains("requires a production_deploy gate");
    assertThat(message(weaker, "gates.production_deploy"))
        .contains("required_approvals 1 < 2").contains("require_backup must be true")
        .contains("5h").contains("intern").contains("anyone-else");
    assertThat(stricter).isEmpty();
  }

  private static String message(List<FieldError> errors, String field) {
    return errors.stream().filter(e -> e.field().equals(field)).findFirst()
        .map(FieldError::message).orElseThrow(() -> new AssertionError("no error on " + field
            + " in " + errors));
  }

  private static List<FieldError> check(PolicyProperties policy, String yaml) {
    return check(policy, yaml, "alice");
  }

  private static List<FieldError> check(PolicyProperties policy, String yaml, String user) {
    return new LoopPolicy(policy, Set.of(), Optional.of(TWO_CPUS)).check(parse(yaml), REPO, user);
  }

  private static PolicyProperties policy() {
    return PolicyProperties.defaults();
  }

  private static LoopConfig parse(String yaml) {
    return new ForgeConfigParser().parseYaml(yaml).config();
  }

  private static String config(String more) {
    return """
        version: 1
        loop:
          agent: {command: [agent, "{prompt}"]}
          cost_cap_usd: 10
        sandbox:
          image: forge/sandbox:0.1.0-bookworm
        """ + more;
  }
}
