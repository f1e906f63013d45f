package dev.forge.spec.config;

import dev.forge.spec.InvalidSpecException;
import dev.forge.spec.RuleException;
import dev.forge.spec.Shown;
import dev.forge.spec.loop.AgentModel;
import dev.forge.spec.loop.GateConfig;
import dev.forge.spec.loop.LoopConfig;
import dev.forge.spec.sandbox.SandboxConfig;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Validates a forge.yml (schema version 1) against its full schema and turns it into a {@link
 * LoopConfig}.
 *
 * <p>Every rule is checked and every error reported at once, each with a dotted field path ({@code
 * loop.checks[1][0]}, {@code gates.production_deploy.timeout}), a rule name and a message saying
 * what would be right. Unknown keys are errors. Values that look like literal secrets are refused
 * and never repeated in a message. The annotated example in the repository's {@code forge.yml}
 * documents every field and default; a test keeps it valid.
 *
 * <p>Stateless and thread-safe.
 */
public final class ForgeConfigParser {

  static final List<String> KEYS = List.of("version", "loop", "sandbox", "credentials", "gates");

  /**
   * Parses and validates forge.yml text: at most 64 KiB, YAML's safe subset only (no custom tags),
   * no duplicate keys, at most 10 aliases to collections, limited nesting.
   *
   * @throws InvalidSpecException with field {@code forge.yml} and rule {@code syntax} (with line
   *     and column), {@code range} or {@code required} when the text cannot be read, or with every
   *     validation error of the tree
   */
  public ParsedConfig parseYaml(String yaml) {
    return parse(YamlLoader.load(yaml));
  }

  /**
   * Validates a tree of maps, lists and scalars, as SnakeYAML or a JSON parser produces it. Numbers
   * may be any of Integer, Long, BigInteger, Double or BigDecimal.
   *
   * @throws InvalidSpecException with every error found
   */
  public ParsedConfig parse(Object root) {
    Issues issues = new Issues();
    if (root == null) {
      throw new InvalidSpecException(Paths.DOCUMENT, "required",
          "is empty; it needs at least version, loop and sandbox");
    }
    // First, so that no other error on a field holding a secret can repeat its value.
    new SecretScan(issues).scan(root);

    Section top = Section.read(issues, "", root, KEYS, Map.of());
    if (top.isMapping()) {
      version(issues, top);
    }
    LoopSection.Loop loop = top.isMapping() ? LoopSection.read(issues, top) : null;
    SandboxSection.Sandbox sandbox = top.isMapping() ? SandboxSection.read(issues, top) : null;
    Map<String, String> env = CredentialsSection.read(issues, top);
    List<GateConfig> gates = GatesSection.read(issues, top);
    if (loop != null && loop.model() != null) {
      model(issues, loop.model(), sandbox, env);
    }
    issues.throwIfAny();

    LoopConfig config = new LoopConfig(
        loop.agentCommand(),
        loop.usage(),
        loop.completionPromise(),
        loop.checks(),
        Math.toIntExact(loop.maxIterations()),
        loop.maxRuntimeSeconds(),
        loop.costCapUsd(),
        new SandboxConfig(sandbox.image(), sandbox.network().mode(), sandbox.limits(), env,
            sandbox.network().allowed(), sandbox.mounts(), sandbox.runtime()),
        gates,
        loop.noProgress().iterations(),
        loop.noProgress().sameFailures(),
        loop.unreportedCostUsd(),
        loop.costCapWaitSeconds(),
        loop.model());
    return new ParsedConfig(config, loop.promptFile(), loop.mode());
  }

  /** What a model provider rules out elsewhere: reaching it around the gateway. */
  private static void model(Issues issues, AgentModel model, SandboxSection.Sandbox sandbox,
      Map<String, String> env) {
    if (sandbox != null && sandbox.network() != null) {
      try {
        model.checkAllowlist(sandbox.network().allowed());
      } catch (RuleException e) {
        issues.add(e.at("sandbox.network.allowed"));
      }
    }
    if (env != null) {
      try {
        model.checkNotInSandbox(env);
      } catch (RuleException e) {
        issues.add(e.at("loop.agent.model.credential"));
      }
    }
  }

  private static void version(Issues issues, Section top) {
    if (!top.require("version", "write version: 1 as the first line")) {
      return;
    }
    Object value = top.get("version");
    BigDecimal number = Values.number(value);
    if (number == null || value instanceof String) {
      issues.add(top.path("version"), "type", "must be the number 1, got " + Shown.kindAndValue(value));
    } else if (number.compareTo(BigDecimal.ONE) != 0) {
      issues.add(top.path("version"), "unsupported", "schema version " + Shown.value(value)
          + " is not supported; this Forge reads version: 1");
    }
  }
}
