package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SandboxPeekTest {

  @Test
  void shouldSummariseTheLockdownFromDockerInspectOutput() {
    String inspect = """
        [{"Name": "/forge-loop-abc-1-agent",
          "Config": {"User": "1000:1000"},
          "HostConfig": {"ReadonlyRootfs": true, "Privileged": false, "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"], "NetworkMode": "none",
            "Tmpfs": {"/tmp": "rw,nosuid,nodev,size=67108864"}, "Memory": 268435456,
            "MemorySwap": 268435456, "NanoCpus": 1000000000, "PidsLimit": 128},
          "Mounts": [{"Destination": "/workspace", "RW": true},
                     {"Destination": "/workspace/.git", "RW": false}]}]
        """;

    String summary = SandboxPeek.summarise(inspect).orElseThrow();

    assertThat(summary)
        .contains("container forge-loop-abc-1-agent")
        .contains("user 1000:1000, read-only root fs true, privileged false")
        .contains("cap-drop [\"ALL\"]").contains("no-new-privileges")
        .contains("network none")
        .contains("memory 256 MiB = memory+swap 256 MiB, cpus 1.0, pids 128")
        .contains("mounts [/workspace rw, /workspace/.git ro]");
  }

  @Test
  void shouldGiveNothingForOutputItCannotRead() {
    assertThat(SandboxPeek.summarise("not json")).isEmpty();
    assertThat(SandboxPeek.summarise("[]")).isEmpty();
  }
}
