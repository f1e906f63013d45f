package dev.forge.spec.sandbox;

import dev.forge.spec.RuleException;
import java.util.List;

/**
 * The defaults and bounds of every sandbox limit, in one place: the forge.yml parser reads {@code
 * sandbox.limits} with them, and the sandbox activity checks every step against them again before
 * anything is created (a loop handed straight to Temporal never passed the parser).
 */
public final class SandboxLimitRules {

  public static final long KIB = 1L << 10;
  public static final long MIB = 1L << 20;
  public static final long GIB = 1L << 30;
  public static final long NANOS_PER_CPU = 1_000_000_000L;

  /** What a loop gets for every limit forge.yml does not set. */
  public static final SandboxLimits DEFAULTS =
      new SandboxLimits(2 * GIB, 2 * NANOS_PER_CPU, 256, 3_600, 512 * MIB, 8 * MIB, 10 * GIB);

  /**
   * The smallest and largest value of one limit, in its unit.
   *
   * @param key the key under {@code sandbox.limits}
   */
  public record Bound(String key, long min, long max) {}

  public static final Bound MEMORY = new Bound("memory", 16 * MIB, 64 * GIB);
  /** In billionths of a CPU: 0.1 to 64 CPUs. */
  public static final Bound CPU = new Bound("cpu", NANOS_PER_CPU / 10, 64 * NANOS_PER_CPU);
  public static final Bound PIDS = new Bound("pids", 16, 32_768);
  /** In seconds. */
  public static final Bound TIMEOUT = new Bound("timeout", 5, 86_400);
  public static final Bound TMPFS = new Bound("tmpfs", MIB, 16 * GIB);
  public static final Bound OUTPUT = new Bound("output", 64 * KIB, 256 * MIB);
  /** 0 only in histories recorded before quotas existed: no quota. */
  public static final Bound DISK = new Bound("disk", 64 * MIB, 1024 * GIB);

  /** Every limit, in the order forge.yml documents them. */
  public static final List<Bound> ALL = List.of(MEMORY, CPU, PIDS, TIMEOUT, TMPFS, OUTPUT, DISK);

  private SandboxLimitRules() {}

  /**
   * Checks limits as the sandbox receives them.
   *
   * @throws RuleException with rule {@code range} naming the first limit out of its bounds
   */
  public static void check(SandboxLimits limits) {
    within(MEMORY, limits.memoryBytes());
    within(CPU, limits.nanoCpus());
    within(PIDS, limits.pids());
    within(TIMEOUT, limits.timeoutSeconds());
    within(TMPFS, limits.tmpfsBytes());
    within(OUTPUT, limits.outputBytes());
    if (limits.diskBytes() != 0) {
      within(DISK, limits.diskBytes());
    }
  }

  private static void within(Bound bound, long value) {
    if (value < bound.min() || value > bound.max()) {
      throw new RuleException("range", "sandbox limit " + bound.key() + " must be between "
          + bound.min() + " and " + bound.max() + ", got " + value
          + (value <= 0 ? " (0 would mean unlimited)" : ""));
    }
  }
}
