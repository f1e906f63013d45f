package dev.forge.activities.sandbox.docker;

import dev.forge.workflows.sandbox.SandboxStep;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The labels and names every sandbox container (and every other Docker object Forge makes for a
 * step: the egress proxy, the step's internal network) carries, so that retries and the reaper find
 * it.
 */
public final class SandboxLabels {

  public static final String OWNER = "dev.forge.owner";
  public static final String OWNER_VALUE = "forge";
  public static final String LOOP_ID = "dev.forge.loop-id";
  public static final String ITERATION = "dev.forge.iteration";
  public static final String STEP = "dev.forge.step";
  public static final String RUN_ID = "dev.forge.run-id";

  /**
   * What an object is, on objects other than the step's own container (which has none): {@link
   * #KIND_EGRESS_PROXY}, {@link #KIND_SANDBOX_NETWORK} or {@link #KIND_EGRESS_NETWORK}.
   */
  public static final String KIND = "dev.forge.kind";

  /** A step's egress proxy container. */
  public static final String KIND_EGRESS_PROXY = "egress-proxy";

  /** A step's internal network (the sandbox and its proxy). */
  public static final String KIND_SANDBOX_NETWORK = "sandbox-network";

  /** The shared network egress proxies reach the outside through; never reaped. */
  public static final String KIND_EGRESS_NETWORK = "egress-network";

  private static final Pattern NAME_UNSAFE = Pattern.compile("[^a-zA-Z0-9_.-]");
  private static final int MAX_NAME_PART = 60;

  private SandboxLabels() {}

  /** The labels that identify a step's container, whichever attempt created it. */
  public static Map<String, String> forStep(SandboxStep step) {
    return forStep(step.loopId(), step.iteration(), step.step());
  }

  /** The labels that identify a step's objects, whichever attempt created them. */
  public static Map<String, String> forStep(String loopId, int iteration, String step) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(OWNER, OWNER_VALUE);
    labels.put(LOOP_ID, loopId);
    labels.put(ITERATION, Integer.toString(iteration));
    labels.put(STEP, step);
    return labels;
  }

  public static Map<String, String> forContainer(SandboxStep step, String runId) {
    Map<String, String> labels = forStep(step);
    labels.put(RUN_ID, runId);
    return labels;
  }

  /**
   * {@code forge-<loopId>-<iteration>-<step>} with characters Docker does not allow in names
   * replaced; when anything had to be replaced or shortened, a hash of the original keeps names of
   * different steps apart.
   */
  public static String containerName(SandboxStep step) {
    return name(step.loopId(), step.iteration(), step.step());
  }

  /** {@link #containerName(SandboxStep)} from the parts; other objects of the step add a suffix. */
  public static String name(String loopId, int iteration, String step) {
    String loop = sanitise(loopId);
    String name = sanitise(step);
    String plain = "forge-" + loop + "-" + iteration + "-" + name;
    boolean changed = !loop.equals(loopId) || !name.equals(step);
    return changed ? plain + "-" + shortHash(loopId + "\n" + step) : plain;
  }

  private static String sanitise(String part) {
    String safe = NAME_UNSAFE.matcher(part).replaceAll("_");
    return safe.length() > MAX_NAME_PART ? safe.substring(0, MAX_NAME_PART) : safe;
  }

  /** The first 8 hex digits of the SHA-256 of {@code text}: a short, stable name part. */
  public static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
