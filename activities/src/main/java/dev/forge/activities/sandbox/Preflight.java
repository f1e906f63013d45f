package dev.forge.activities.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.workflows.sandbox.SandboxStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check every sandbox container runs on itself before the step's command: uid not 0, no
 * capabilities, no_new_privs, seccomp on, read-only root, no route out, and in restricted mode an
 * allowlisted destination reachable and a denied one refused through the proxy. The script ({@code
 * preflight.sh}) runs as the container's entrypoint and execs the command only when every check
 * passed; its one line of evidence is taken off the front of stdout before the step's output.
 */
final class Preflight {

  /** What the script prints first, followed by a JSON object. */
  static final String MARKER = "FORGE_PREFLIGHT ";
  /** The script's exit status when a check failed and the command did not run. */
  static final int FAILED_EXIT = 125;
  /** Asked of the proxy in restricted mode: must be refused (and is, before any connection). */
  static final String DENIED_PROBE = "169.254.169.254:80";
  private static final int MAX_LINE_BYTES = 16 * 1024;
  private static final String SCRIPT = load();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Preflight() {}

  /**
   * The container's entrypoint: bash running the preflight script, then the step's command.
   *
   * @param proxy the proxy's {@code ip:port} on the sandbox network, or {@code null} without one
   */
  static List<String> entrypoint(SandboxStep step, String proxy) {
    boolean restricted = onProxyNetwork(step);
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of("/bin/bash", "-c", SCRIPT, "forge-preflight"));
    argv.add(restricted ? "restricted" : "none");
    argv.add(restricted && proxy != null ? proxy : "-");
    argv.add(restricted ? allowedProbe(step.sandbox().allowedHosts()) : "-");
    argv.add(restricted ? DENIED_PROBE : "-");
    argv.add("--");
    argv.addAll(step.command());
    return argv;
  }

  /**
   * Whether the step's container sits on an internal network behind its egress proxy: in network
   * mode restricted, and for an agent whose model is reached through the gateway (even in mode
   * none: then the proxy's model port is the only thing it reaches).
   */
  static boolean onProxyNetwork(SandboxStep step) {
    return step.sandbox().network() == NetworkMode.RESTRICTED || step.model() != null;
  }

  /** The first allowlist entry without a wildcard, or {@code -} when there is none to probe. */
  static String allowedProbe(List<String> allowedHosts) {
    return allowedHosts.stream().filter(h -> !h.startsWith("*.")).findFirst().orElse("-");
  }

  /** The evidence line as the script printed it, read into fields for the audit log. */
  record Evidence(boolean passed, List<String> failed, Map<String, Object> facts) {

    static Evidence missing(String why) {
      return new Evidence(false, List.of(why), Map.of());
    }

    static Evidence parse(String line) {
      if (line == null || !line.startsWith(MARKER)) {
        return missing("the preflight check printed no evidence (does the image have /bin/bash?)");
      }
      try {
        JsonNode node = JSON.readTree(line.substring(MARKER.length()));
        List<String> failed = new ArrayList<>();
        node.path("failed").forEach(f -> failed.add(f.asText()));
        Map<String, Object> facts = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
          if (!e.getKey().equals("failed") && !e.getKey().equals("passed")) {
            facts.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
          }
        });
        boolean passed = node.path("passed").asBoolean(false) && failed.isEmpty();
        return new Evidence(passed, List.copyOf(failed), facts);
      } catch (IOException e) {
        return missing("the preflight evidence could not be read: " + e.getMessage());
      }
    }

    Map<String, Object> forAudit() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("passed", passed);
      map.put("failed", failed);
      map.putAll(facts);
      return map;
    }
  }

  /**
   * Splits the front of stdout: bytes up to and including the first line break are the evidence,
   * the rest is the step's own output. Not thread-safe; Docker's callback thread is the only writer.
   */
  static final class Capture {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean done;

    /** Returns the part of {@code bytes} that belongs to the step's output. */
    synchronized byte[] take(byte[] bytes) {
      if (done) {
        return bytes;
      }
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n' || line.size() >= MAX_LINE_BYTES) {
          done = true;
          return Arrays.copyOfRange(bytes, bytes[i] == '\n' ? i + 1 : i, bytes.length);
        }
        line.write(bytes[i]);
      }
      return new byte[0];
    }

    synchronized String line() {
      return line.toString(StandardCharsets.UTF_8);
    }
  }

  private static String load() {
    try (InputStream in = Preflight.class.getResourceAsStream("preflight.sh")) {
      if (in == null) {
        throw new IllegalStateException("preflight.sh is missing from the activities jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
