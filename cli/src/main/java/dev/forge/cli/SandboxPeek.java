package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks at a running sandbox container of a loop with the docker CLI and summarises its lockdown
 * from {@code docker inspect}, so the demo shows what the sandbox really is rather than what it is
 * said to be. Quietly gives nothing where the docker CLI is not available.
 */
final class SandboxPeek {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxPeek() {}

  static Optional<String> running(String loopId) {
    List<String> ids = docker("ps", "-q", "--filter", "label=dev.forge.loop-id=" + loopId)
        .map(out -> out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
        .orElse(List.of());
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    return docker("inspect", ids.get(0)).flatMap(SandboxPeek::summarise);
  }

  static Optional<String> summarise(String inspectJson) {
    try {
      JsonNode container = JSON.readTree(inspectJson).get(0);
      JsonNode host = container.get("HostConfig");
      JsonNode config = container.get("Config");
      List<String> mounts = new ArrayList<>();
      container.get("Mounts").forEach(m -> mounts.add(
          m.get("Destination").asText() + (m.get("RW").asBoolean() ? " rw" : " ro")));
      return Optional.of(String.join("\n    ",
          "container " + container.get("Name").asText().replaceFirst("^/", "") + " (docker inspect):",
          "user " + config.get("User").asText() + ", read-only root fs "
              + host.get("ReadonlyRootfs").asBoolean() + ", privileged " + host.get("Privileged").asBoolean(),
          "cap-drop " + host.get("CapDrop") + ", security-opt " + host.get("SecurityOpt"),
          "network " + host.get("NetworkMode").asText() + ", tmpfs " + host.get("Tmpfs"),
          "memory " + mib(host.get("Memory")) + " = memory+swap " + mib(host.get("MemorySwap"))
              + ", cpus " + host.get("NanoCpus").asLong() / 1e9 + ", pids " + host.get("PidsLimit").asLong(),
          "mounts " + mounts));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String mib(JsonNode bytes) {
    return (bytes.asLong() >> 20) + " MiB";
  }

  private static Optional<String> docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    try {
      Processes.Result result = Processes.run(command, false, 10);
      return result.ok() ? Optional.of(result.output()) : Optional.empty();
    } catch (IOException | CliException e) {
      return Optional.empty();
    }
  }
}
