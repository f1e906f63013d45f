package dev.forge.api.policy;

import dev.forge.spec.policy.EnvGrant;
import dev.forge.spec.policy.EnvPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * {@code forge.policy.*}: the operator's bounds on every loop. A forge.yml (above all the one in
 * the repository a loop works on) only asks; what it asks beyond these bounds is refused when the
 * loop starts, and host variables again before every step. See docs/configuration.md, "Operator policy".
 *
 * @param envGrants the host variables loops may receive (default: none)
 * @param limits the largest limits a loop may ask for
 * @param images image name patterns a sandbox may run ({@code *} matches anything; default {@code
 *     forge/*})
 * @param destinations {@code host:port} patterns a restricted sandbox may be allowed to reach
 *     (default: none, so network mode restricted is refused until the operator allows some)
 * @param gates gates every loop must have, each with the least it must require
 * @param quotas how many loops may run at once, and how much disk their quotas may reserve
 */
@ConfigurationProperties("forge.policy")
public record PolicyProperties(List<EnvGrant> envGrants, Limits limits, List<String> images,
    List<String> destinations, Map<String, RequiredGate> gates, Quotas quotas) {

  private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9*._:/@-]{1,255}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  @ConstructorBinding
  public PolicyProperties {
    envGrants = envGrants == null ? List.of() : List.copyOf(envGrants);
    for (int i = 0; i < envGrants.size(); i++) {
      checkGrant("forge.policy.env-grants[" + i + "]", envGrants.get(i));
    }
    limits = limits == null ? new Limits(null, null, null, null, null, null, null, null, null, null)
        : limits;
    images = patterns("forge.policy.images", images == null ? List.of("forge/*") : images);
    destinations = patterns("forge.policy.destinations",
        destinations == null ? List.of() : destinations);
    gates = gates == null ? Map.of() : Map.copyOf(new TreeMap<>(gates));
    quotas = quotas == null ? new Quotas(null, null, null, null, null) : quotas;
  }

  /** Every limit at Forge's default maximum, nothing granted, no gate required. */
  public static PolicyProperties defaults() {
    return new PolicyProperties(null, null, null, null, null, null);
  }

  private static void checkGrant(String name, EnvGrant grant) {
    if (grant.env().isEmpty()) {
      throw new IllegalStateException(name + ".env must name at least one host variable");
    }
    for (String variable : grant.env()) {
      if (variable == null || !VARIABLE.matcher(variable).matches()) {
        throw new IllegalStateException(name + ".env: " + variable + " is not a variable name");
      }
      if (EnvPolicy.isForgeOwn(variable)) {
        throw new IllegalStateException(name + ".env: " + variable + " holds Forge's own"
            + " settings (FORGE_*, SPRING_*, JVM options) and can never be granted to a sandbox");
      }
    }
    for (String repository : grant.repositories()) {
      if (repository == null || !repository.startsWith("/") || repository.contains("..")) {
        throw new IllegalStateException(name + ".repositories: " + repository
            + " is not an absolute path (end it in /** to cover every repository below)");
      }
    }
  }

  private static List<String> patterns(String name, List<String> values) {
    for (String value : values) {
      if (value == null || !PATTERN.matcher(value).matches()) {
        throw new IllegalStateException(name + ": " + value + " is not a pattern (letters, digits,"
            + " . _ : / @ - and * only)");
      }
    }
    return List.copyOf(values);
  }

  /**
   * The largest value of each limit a loop may ask for; each defaults to the largest forge.yml
   * accepts at all. {@code cpu} and {@code memory} are also never more than the Docker host has.
   */
  public record Limits(DataSize memory, BigDecimal cpu, Long pids, Duration timeout,
      DataSize tmpfs, DataSize output, DataSize disk, Integer maxIterations, Duration maxRuntime,
      BigDecimal costCapUsd) {

    public Limits {
      memory = memory == null ? DataSize.ofGigabytes(64) : memory;
      cpu = cpu == null ? new BigDecimal(64) : cpu;
      pids = pids == null ? 32_768L : pids;
      timeout = timeout == null ? Duration.ofDays(1) : timeout;
      tmpfs = tmpfs == null ? DataSize.ofGigabytes(16) : tmpfs;
      output = output == null ? DataSize.ofMegabytes(256) : output;
      disk = disk == null ? DataSize.ofGigabytes(1024) : disk;
      maxIterations = maxIterations == null ? 10_000 : maxIterations;
      maxRuntime = maxRuntime == null ? Duration.ofDays(30) : maxRuntime;
      costCapUsd = costCapUsd == null ? new BigDecimal(10_000) : costCapUsd;
      if (cpu.signum() <= 0 || pids < 1 || maxIterations < 1 || costCapUsd.signum() < 0
          || memory.toBytes() < 1 || disk.toBytes() < 0 || timeout.isNegative()
          || maxRuntime.isNegative()) {
        throw new IllegalStateException("forge.policy.limits: every maximum must be positive");
      }
    }
  }

  /**
   * A gate every loop must have. A loop's config may make it stricter, never weaker.
   *
   * @param minApprovals the fewest distinct approvals it may need (default 1)
   * @param stepUp whether an approval must carry a TOTP code (default false)
   * @param maxTimeout the longest it may wait for a decision (default: any)
   * @param requireBackup whether an approval must cite a backup (default false)
   * @param rollbackPlan whether an approval must carry a rollback plan (default false)
   * @param approvers when set, the gate's approvers (and whom it escalates to) must all be among
   *     these users or groups, and it may not leave them open to any approver
   */
  public record RequiredGate(Integer minApprovals, Boolean stepUp, Duration maxTimeout,
      Boolean requireBackup, Boolean rollbackPlan, List<String> approvers) {

    public RequiredGate {
      minApprovals = minApprovals == null ? 1 : minApprovals;
      stepUp = stepUp != null && stepUp;
      requireBackup = requireBackup != null && requireBackup;
      rollbackPlan = rollbackPlan != null && rollbackPlan;
      approvers = approvers == null ? List.of() : List.copyOf(approvers);
      if (minApprovals < 1) {
        throw new IllegalStateException("forge.policy.gates.*.min-approvals must be at least 1");
      }
    }
  }

  /**
   * @param loopsPerUser how many loops one user may have running at once (default 10)
   * @param loopsTotal how many loops may run at once in all (default 50)
   * @param users per-user overrides of {@code loopsPerUser}
   * @param diskMargin free space kept on the disk that holds the work trees' quota images,
   *     beyond every image's full size (default 1GB)
   * @param diskOvercommit how many times the free space the images' not yet written parts may
   *     add up to (default 1: never more than is free; more is thin provisioning, at the risk of
   *     the disk filling when the loops do)
   */
  public record Quotas(Integer loopsPerUser, Integer loopsTotal, Map<String, Integer> users,
      DataSize diskMargin, BigDecimal diskOvercommit) {

    public Quotas {
      loopsPerUser = loopsPerUser == null ? 10 : loopsPerUser;
      loopsTotal = loopsTotal == null ? 50 : loopsTotal;
      users = users == null ? Map.of() : Map.copyOf(new TreeMap<>(users));
      diskMargin = diskMargin == null ? DataSize.ofGigabytes(1) : diskMargin;
      diskOvercommit = diskOvercommit == null ? BigDecimal.ONE : diskOvercommit;
      if (loopsPerUser < 1 || loopsTotal < 1 || users.values().stream().anyMatch(n -> n < 1)
          || diskOvercommit.compareTo(BigDecimal.ONE) < 0 || diskMargin.isNegative()) {
        throw new IllegalStateException("forge.policy.quotas: loop counts must be at least 1 and"
            + " disk-overcommit at least 1");
      }
    }

    /** How many loops {@code user} may have running at once. */
    public int loopsOf(String user) {
      return users.getOrDefault(user, loopsPerUser);
    }
  }
}
