package dev.forge.api.policy;

import dev.forge.spec.config.Quantities;
import dev.forge.api.problems.FieldError;
import dev.forge.spec.loop.AgentModel;
import dev.forge.spec.loop.GateConfig;
import dev.forge.spec.loop.LoopConfig;
import dev.forge.spec.policy.EnvPolicy;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a loop's config against the operator's policy ({@link PolicyProperties}): which host
 * variables it may receive, its limits, image, network destinations and gates. Every problem is
 * reported at once, each with the forge.yml field, the rule {@code policy}, and a message naming
 * variables and limits, never a variable's value. Stateless.
 */
public final class LoopPolicy {

  /** The rule name of every refusal by the operator's policy. */
  public static final String RULE = "policy";
  private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

  private final PolicyProperties policy;
  private final Set<String> webhookSecrets;
  private final Optional<HostResources> host;
  private final Function<String, String> hostEnv;

  /** A policy that reads host variables from this process's environment. */
  public LoopPolicy(PolicyProperties policy, Set<String> webhookSecrets,
      Optional<HostResources> host) {
    this(policy, webhookSecrets, host, System::getenv);
  }

  /**
   * @param webhookSecrets the host variables that hold webhook sources' secrets: refused like
   *     Forge's own, whatever a grant says
   * @param hostEnv reads a host variable (to check that a model key is set, never to keep it)
   */
  public LoopPolicy(PolicyProperties policy, Set<String> webhookSecrets,
      Optional<HostResources> host, Function<String, String> hostEnv) {
    this.policy = policy;
    this.hostEnv = hostEnv;
    this.webhookSecrets = Set.copyOf(webhookSecrets);
    this.host = host;
    for (int i = 0; i < policy.envGrants().size(); i++) {
      for (String name : policy.envGrants().get(i).env()) {
        if (webhookSecrets.contains(name)) {
          throw new IllegalStateException("forge.policy.env-grants[" + i + "].env: " + name
              + " holds a webhook source's secret and can never be granted to a sandbox");
        }
      }
    }
  }

  public PolicyProperties properties() {
    return policy;
  }

  /** Everything about {@code config} the policy refuses for a loop on {@code repository} by {@code user}. */
  public List<FieldError> check(LoopConfig config, String repository, String user) {
    List<FieldError> errors = new ArrayList<>();
    SandboxConfig sandbox = config.sandbox();
    env(errors, sandbox.env(), repository, user);
    model(errors, config.model(), repository, user);
    limits(errors, sandbox.limits());
    loop(errors, config);
    image(errors, sandbox.image());
    destinations(errors, sandbox);
    gates(errors, config.gates());
    return errors;
  }

  private void env(List<FieldError> errors, Map<String, String> env, String repository,
      String user) {
    Set<String> refused = new HashSet<>(
        EnvPolicy.refused(env.values(), policy.envGrants(), repository, user));
    env.forEach((sandboxName, hostName) -> {
      String field = "credentials.env." + sandboxName;
      if (EnvPolicy.isForgeOwn(hostName) || webhookSecrets.contains(hostName)) {
        errors.add(new FieldError(field, RULE, "host variable " + hostName + " holds Forge's own"
            + " settings or secrets and never enters a sandbox"));
      } else if (refused.contains(hostName)) {
        errors.add(new FieldError(field, RULE, "host variable " + hostName + " is not granted to"
            + " loops on this repository started by " + user + "; the operator grants host"
            + " variables in forge.policy.env-grants"));
      }
    });
  }

  /**
   * The model key the gateway holds: granted like a sandbox variable (it is the same secret, kept
   * further away), never one of Forge's own, and set now, so that a loop does not start only to
   * fail at its first call. The value is read to see that it is there, and never kept or shown.
   */
  private void model(List<FieldError> errors, AgentModel model, String repository, String user) {
    if (model == null) {
      return;
    }
    String field = "loop.agent.model.credential";
    String name = model.credential();
    if (EnvPolicy.isForgeOwn(name) || webhookSecrets.contains(name)) {
      errors.add(new FieldError(field, RULE, "host variable " + name + " holds Forge's own"
          + " settings or secrets and is never used as a model key"));
    } else if (!EnvPolicy.refused(List.of(name), policy.envGrants(), repository, user).isEmpty()) {
      errors.add(new FieldError(field, RULE, "host variable " + name + " is not granted to loops"
          + " on this repository started by " + user + "; the operator grants host variables,"
          + " model keys included, in forge.policy.env-grants"));
    } else {
      String value = hostEnv.apply(name);
      if (value == null || value.isBlank()) {
        errors.add(new FieldError(field, "unset", "host variable " + name + " is not set on"
            + " this Forge, so the model gateway would have no " + model.provider().configName()
            + " key to add; set it where Forge runs and start the loop again"));
      }
    }
  }

  private void limits(List<FieldError> errors, SandboxLimits asked) {
    PolicyProperties.Limits max = policy.limits();
    long memoryMax = Math.min(max.memory().toBytes(),
        host.map(HostResources::memoryBytes).orElse(Long.MAX_VALUE));
    size(errors, "sandbox.limits.memory", asked.memoryBytes(), memoryMax);
    long cpuMax = max.cpu().multiply(NANOS_PER_CPU).longValue();
    String cpuWhy = "";
    if (host.isPresent() && (long) host.get().cpus() * 1_000_000_000L < cpuMax) {
      cpuMax = (long) host.get().cpus() * 1_000_000_000L;
      cpuWhy = " (the Docker host has " + host.get().cpus() + ")";
    }
    if (asked.nanoCpus() > cpuMax) {
      errors.add(new FieldError("sandbox.limits.cpu", RULE, "asks for " + cpus(asked.nanoCpus())
          + " CPUs; the operator's policy allows at most " + cpus(cpuMax) + cpuWhy));
    }
    if (asked.pids() > max.pids()) {
      errors.add(new FieldError("sandbox.limits.pids", RULE, "asks for " + asked.pids()
          + " processes; the operator's policy allows at most " + max.pids()));
    }
    duration(errors, "sandbox.limits.timeout", asked.timeoutSeconds(), max.timeout().toSeconds());
    size(errors, "sandbox.limits.tmpfs", asked.tmpfsBytes(), max.tmpfs().toBytes());
    size(errors, "sandbox.limits.output", asked.outputBytes(), max.output().toBytes());
    size(errors, "sandbox.limits.disk", asked.diskBytes(), max.disk().toBytes());
  }

  private void loop(List<FieldError> errors, LoopConfig config) {
    PolicyProperties.Limits max = policy.limits();
    if (config.maxIterations() > max.maxIterations()) {
      errors.add(new FieldError("loop.max_iterations", RULE, "asks for " + config.maxIterations()
          + " iterations; the operator's policy allows at most " + max.maxIterations()));
    }
    duration(errors, "loop.max_runtime", config.maxRuntimeSeconds(), max.maxRuntime().toSeconds());
    if (config.costCapUsd().compareTo(max.costCapUsd()) > 0) {
      errors.add(new FieldError("loop.cost_cap_usd", RULE, "asks for a cap of "
          + config.costCapUsd().toPlainString() + " USD; the operator's policy allows at most "
          + max.costCapUsd().toPlainString()));
    }
  }

  private void image(List<FieldError> errors, String image) {
    if (policy.images().stream().noneMatch(p -> Glob.matches(p, image))) {
      errors.add(new FieldError("sandbox.image", RULE, image + " is not an image the operator's"
          + " policy allows; allowed: " + String.join(", ", policy.images())));
    }
  }

  private void destinations(List<FieldError> errors, SandboxConfig sandbox) {
    if (sandbox.network() != NetworkMode.RESTRICTED) {
      return;
    }
    List<String> hosts = sandbox.allowedHosts();
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      if (policy.destinations().stream().noneMatch(p -> Glob.matches(p, host))) {
        errors.add(new FieldError("sandbox.network.allowed[" + i + "]", RULE, host
            + " is not a destination the operator's policy allows; allowed: "
            + (policy.destinations().isEmpty() ? "none (forge.policy.destinations is empty)"
                : String.join(", ", policy.destinations()))));
      }
    }
  }

  private void gates(List<FieldError> errors, List<GateConfig> gates) {
    policy.gates().forEach((name, floor) -> {
      String field = "gates." + name;
      Optional<GateConfig> found = gates.stream().filter(g -> g.name().equals(name)).findFirst();
      if (found.isEmpty()) {
        errors.add(new FieldError(field, RULE, "the operator's policy requires a " + name
            + " gate on every loop; add it (at least " + describe(floor) + ")"));
        return;
      }
      GateConfig gate = found.get();
      List<String> weaker = new ArrayList<>();
      if (gate.approvalsNeeded() < floor.minApprovals()) {
        weaker.add("required_approvals " + gate.approvalsNeeded() + " < " + floor.minApprovals());
      }
      if (floor.stepUp() && !gate.stepUp()) {
        weaker.add("step_up must be true");
      }
      if (floor.requireBackup() && !gate.requireBackup()) {
        weaker.add("require_backup must be true");
      }
      if (floor.rollbackPlan() && !gate.requireRollbackPlan()) {
        weaker.add("rollback_plan must be required");
      }
      if (floor.maxTimeout() != null) {
        long maxSeconds = floor.maxTimeout().toSeconds();
        long waits = gate.timeoutSeconds()
            + (gate.onTimeout() == GateConfig.OnTimeout.ESCALATE ? gate.escalationTimeoutSeconds() : 0);
        if (waits > maxSeconds) {
          weaker.add("it may wait " + Quantities.formatDuration(waits) + " (escalation included),"
              + " more than " + Quantities.formatDuration(maxSeconds));
        }
      }
      if (!floor.approvers().isEmpty()) {
        if (gate.approvers().isEmpty()) {
          weaker.add("approvers must be listed (any of " + String.join(", ", floor.approvers()) + ")");
        }
        List<String> others = new ArrayList<>(gate.approvers());
        others.addAll(gate.escalateTo());
        // "group:x" or "user:x" is narrower than a bare "x" the policy lists; never the other way
        others.removeIf(entry -> floor.approvers().contains(entry)
            || floor.approvers().contains(entry.replaceFirst("^(user|group):", "")));
        if (!others.isEmpty()) {
          weaker.add("approvers and escalate_to may only name " + String.join(", ", floor.approvers())
              + ", not " + String.join(", ", others.stream().distinct().toList()));
        }
      }
      if (!weaker.isEmpty()) {
        errors.add(new FieldError(field, RULE, "is weaker than the operator's policy allows: "
            + String.join("; ", weaker)));
      }
    });
  }

  private static String describe(PolicyProperties.RequiredGate floor) {
    List<String> parts = new ArrayList<>();
    parts.add("required_approvals: " + floor.minApprovals());
    if (floor.stepUp()) {
      parts.add("step_up: true");
    }
    if (floor.requireBackup()) {
      parts.add("require_backup: true");
    }
    if (floor.rollbackPlan()) {
      parts.add("rollback_plan: required");
    }
    if (!floor.approvers().isEmpty()) {
      parts.add("approvers among " + String.join(", ", floor.approvers()));
    }
    return String.join(", ", parts);
  }

  private static void size(List<FieldError> errors, String field, long asked, long max) {
    if (asked > max) {
      errors.add(new FieldError(field, RULE, "asks for " + Quantities.formatSize(asked)
          + "; the operator's policy allows at most " + Quantities.formatSize(max)));
    }
  }

  private static void duration(List<FieldError> errors, String field, long asked, long max) {
    if (asked > max) {
      errors.add(new FieldError(field, RULE, "asks for " + Quantities.formatDuration(asked)
          + "; the operator's policy allows at most " + Quantities.formatDuration(max)));
    }
  }

  private static String cpus(long nanoCpus) {
    return new BigDecimal(nanoCpus).divide(NANOS_PER_CPU).stripTrailingZeros().toPlainString();
  }
}
