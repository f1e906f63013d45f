package dev.forge.activities.sandbox;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Forge's words for what the Docker engine answered: which of the sandbox's settings it refused
 * and what to do. The engine's own text goes to the worker's log only; it names engine internals
 * and is not written for Forge's users.
 */
final class EngineErrors {

  private static final Pattern CPU_RANGE =
      Pattern.compile("range of cpus is from [0-9.]+ to ([0-9]+(?:\\.[0-9]+)?)");
  private static final String SEE_LOG = "; the worker's log has the engine's answer";

  private EngineErrors() {}

  /** What to say when the engine refused to create or start the container (HTTP 400). */
  static String refusedSettings(String engineMessage) {
    String raw = engineMessage == null ? "" : engineMessage.toLowerCase(Locale.ROOT);
    Matcher cpus = CPU_RANGE.matcher(raw);
    if (cpus.find()) {
      return "the Docker engine refused the sandbox's settings (cpu): the Docker host has "
          + cpus.group(1) + " CPUs; ask for at most that many in sandbox.limits.cpu";
    }
    if (raw.contains("memory")) {
      return "the Docker engine refused the sandbox's settings (memory): the limit in"
          + " sandbox.limits.memory is outside what the engine allows" + SEE_LOG;
    }
    if (raw.contains("pids")) {
      return "the Docker engine refused the sandbox's settings (pids): change sandbox.limits.pids"
          + SEE_LOG;
    }
    if (raw.contains("tmpfs")) {
      return "the Docker engine refused the sandbox's settings (tmpfs): change"
          + " sandbox.limits.tmpfs" + SEE_LOG;
    }
    if (raw.contains("runtime")) {
      return "the Docker engine refused the sandbox's settings (runtime): the runtime in"
          + " sandbox.runtime is not installed on the Docker host";
    }
    return "the Docker engine refused the sandbox's settings" + SEE_LOG;
  }

  /** What to say when the engine failed otherwise (HTTP status {@code status}, or none). */
  static String failed(Integer status) {
    return "the Docker engine failed to run the sandbox"
        + (status == null ? "" : " (HTTP status " + status + ")")
        + "; the step is retried" + SEE_LOG;
  }
}
