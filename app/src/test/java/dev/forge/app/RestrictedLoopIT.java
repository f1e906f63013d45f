package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A loop in network mode restricted through the whole application: the forge.yml allowlist goes
 * through the API and the workflow to the sandbox activity, whose step gets its own Squid proxy.
 * The agent fetches from the allowlisted test upstream (a container on a network this test made,
 * in a documentation range that is not private) and is refused anything else; both decisions are
 * in the loop's audit log.
 */
class RestrictedLoopIT extends ForgeIT {

  private static final String UPSTREAM_IMAGE = "forge/test-upstream:0.1.0-bookworm";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String EGRESS_NETWORK = "forge-it-egress-" + RUN;
  private static final String UPSTREAM = "forge-it-upstream-" + RUN;

  @DynamicPropertySource
  static void egressThroughATestNetwork(DynamicPropertyRegistry registry) throws Exception {
    createEgressNetwork();
    docker("run", "-d", "--name", UPSTREAM, "--network", EGRESS_NETWORK,
        "--network-alias", "upstream.forge.test", "--read-only", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", UPSTREAM_IMAGE);
    registry.add("forge.worker.egress.network", () -> EGRESS_NETWORK);
  }

  /** A /28 in 198.51.100.0/24 (TEST-NET-2): not private, so the proxy lets the upstream through. */
  private static void createEgressNetwork() throws Exception {
    String last = "";
    for (int attempt = 0; attempt < 12; attempt++) {
      int block = ThreadLocalRandom.current().nextInt(1, 16) * 16;
      Result created = docker("network", "create", "--driver", "bridge",
          "--subnet", "198.51.100." + block + "/28", "--gateway", "198.51.100." + (block + 1),
          EGRESS_NETWORK);
      if (created.exitCode() == 0) {
        return;
      }
      last = created.output();
    }
    throw new IllegalStateException("could not create a test egress network: " + last);
  }

  @AfterAll
  static void removeTestNetwork() throws Exception {
    docker("rm", "-f", UPSTREAM);
    docker("network", "rm", EGRESS_NETWORK);
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldReachOnlyTheAllowlistedHostAndAuditEveryDecision() throws Exception {
    // given an agent that fetches from the upstream through the proxy, and tries a host not allowed
    Path repo = newRepository();
    Files.writeString(repo.resolve("fetch.sh"), String.join("\n",
        "p=${HTTP_PROXY#http://}",
        "exec 3<>/dev/tcp/${p%:*}/${p##*:}",
        "printf 'GET http://upstream.forge.test:8080/ HTTP/1.1\\r\\nHost: upstream.forge.test:8080"
            + "\\r\\nConnection: close\\r\\n\\r\\n' >&3",
        "cat <&3 > fetched.txt",
        "exec 3<>/dev/tcp/${p%:*}/${p##*:}",
        "printf 'CONNECT elsewhere.forge.test:443 HTTP/1.1\\r\\nHost: elsewhere.forge.test:443"
            + "\\r\\n\\r\\n' >&3",
        "read -r -t 10 status <&3; echo \"$status\" > refused.txt",
        "echo 'FORGE_USAGE {\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.01}'",
        "echo LOOP_COMPLETE", ""));
    ExampleRepos.git(repo, "add", "fetch.sh");
    ExampleRepos.git(repo, "-c", "user.name=T", "-c", "user.email=t@forge.invalid", "commit", "-qm",
        "fetch");
    Map<String, Object> config = new LinkedHashMap<>(
        inlineConfig(List.of("bash", "fetch.sh"), List.of()));
    Map<String, Object> loop = new LinkedHashMap<>((Map<String, Object>) config.get("loop"));
    loop.put("checks", List.of());
    config.put("loop", loop);
    Map<String, Object> sandbox = new LinkedHashMap<>((Map<String, Object>) config.get("sandbox"));
    sandbox.put("network", Map.of("mode", "restricted", "allowed", List.of("upstream.forge.test:8080")));
    config.put("sandbox", sandbox);
    ForgeHttp dev = as("dev");

    // when the loop runs
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "fetch",
        "config", config)).json().get("loopId").asText();
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, Duration.ofMinutes(3));

    // then the agent got the upstream's page and a refusal, and the checkpoint holds both
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    String branch = "forge/" + loopId;
    assertThat(ExampleRepos.git(repo, "show", branch + ":fetched.txt"))
        .contains("200").contains("forge-test-upstream ok");
    assertThat(ExampleRepos.git(repo, "show", branch + ":refused.txt")).contains("403");
    // and the audit log has both decisions, with the loop and the iteration
    JsonNode audit = dev.get("/api/loops/" + loopId + "/audit?limit=1000").json().get("items");
    List<String> egress = new ArrayList<>();
    audit.forEach(e -> {
      if (e.get("action").asText().startsWith("egress.")) {
        egress.add(e.get("action").asText() + " " + e.get("target").asText() + " iteration "
            + e.get("iteration").asInt() + " loop " + e.get("loopId").asText());
      }
    });
    String suffix = " iteration 1 loop " + loopId;
    assertThat(egress)
        .contains("egress.allowed upstream.forge.test:8080" + suffix)
        .contains("egress.denied elsewhere.forge.test:443" + suffix);
    assertThat(audit.toString()).contains("\"preflight\"").contains("\"allowedStatus\":\"200\"");
    // and nothing of the step is left: no container, proxy or network
    assertThat(docker("ps", "-aq", "--filter", "label=dev.forge.loop-id=" + loopId).output()).isBlank();
    assertThat(docker("network", "ls", "-q", "--filter", "label=dev.forge.loop-id=" + loopId)
        .output()).isBlank();
  }

  record Result(int exitCode, String output) {}

  private static Result docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    return new Result(process.waitFor(), output.strip());
  }
}
