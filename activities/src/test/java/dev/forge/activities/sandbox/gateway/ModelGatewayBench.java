package dev.forge.activities.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.forge.activities.sandbox.DockerClients;
import dev.forge.activities.sandbox.egress.ModelRoute;
import dev.forge.spec.loop.AgentModel.ToolResults;
import dev.forge.spec.loop.ModelProvider;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The gateway's overhead, side by side with the raw upstream in one run (bench/model-gateway.sh):
 * the same calls to the scripted model straight and through the gateway, interleaved, so both see
 * the same machine. Not part of CI; prints its figures.
 */
@EnabledIfSystemProperty(named = "forge.bench", matches = "model-gateway")
class ModelGatewayBench {

  private static final int CALLS = Integer.getInteger("forge.bench.calls", 400);
  private static final int CONCURRENT = Integer.getInteger("forge.bench.concurrent", 50);
  private static final String BODY = "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 256,"
      + " \"stream\": %s, \"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}";

  @Test
  void measure() throws Exception {
    DockerClient docker = DockerClients.connect(null);
    String id = docker.createContainerCmd(ModelGatewayIT.IMAGE)
        .withName("forge-bench-gateway-" + UUID.randomUUID().toString().substring(0, 8))
        .withHostConfig(HostConfig.newHostConfig()
            .withBinds(new Bind(fallbackScript().toString(), new Volume("/script"), AccessMode.ro))
            .withReadonlyRootfs(true)
            .withCapDrop(Capability.ALL))
        .exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      String ip = docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks()
          .values().iterator().next().getIpAddress();
      URI upstream = URI.create("http://" + ip + ":8080");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      waitFor(http, upstream);
      ModelGatewayIT.Recorded recorded = new ModelGatewayIT.Recorded();
      try (ModelGateway gateway = ModelGateway.start(GatewaySettings.defaults().withUpstreams(
          Map.of(ModelProvider.ANTHROPIC, upstream), true), recorded,
          Map.of("BENCH_KEY", "bench-key")::get, Clock.systemUTC())) {
        StepGrant grant = gateway.open(new StepBinding("bench", 1, "agent", "run:1",
            ModelProvider.ANTHROPIC, "BENCH_KEY", new BigDecimal("1000000"), ToolResults.FLAG));
        URI through = URI.create("http://127.0.0.1:" + gateway.port());
        for (int i = 0; i < 50; i++) { // warm both paths
          call(http, upstream, null, false);
          call(http, through, grant.token(), false);
        }
        List<Long> direct = new ArrayList<>();
        List<Long> gatewayed = new ArrayList<>();
        List<Long> directFirst = new ArrayList<>();
        List<Long> gatewayFirst = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          direct.add(call(http, upstream, null, false)[0]);
          gatewayed.add(call(http, through, grant.token(), false)[0]);
          directFirst.add(call(http, upstream, null, true)[1]);
          gatewayFirst.add(call(http, through, grant.token(), true)[1]);
        }
        report("whole call, not streamed", direct, gatewayed);
        report("first streamed byte", directFirst, gatewayFirst);

        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        List<Future<long[]>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < CONCURRENT; i++) {
          running.add(pool.submit(() -> call(http, through, grant.token(), true)));
        }
        int errors = 0;
        for (Future<long[]> f : running) {
          try {
            if (f.get()[2] != 200) {
              errors++;
            }
          } catch (Exception e) {
            errors++;
          }
        }
        pool.shutdown();
        System.out.printf("%d concurrent streaming calls through one gateway: %d errors, %.0f ms"
            + " for all%n", CONCURRENT, errors, (System.nanoTime() - start) / 1e6);
        assertThat(errors).isZero();

        System.gc();
        Thread.sleep(200);
        long before = usedHeap();
        List<StepGrant> idle = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          idle.add(gateway.open(new StepBinding("idle-" + i, 1, "agent", "run:1",
              ModelProvider.ANTHROPIC, "BENCH_KEY", BigDecimal.ONE, ToolResults.FLAG)));
        }
        System.gc();
        Thread.sleep(200);
        long after = usedHeap();
        System.out.printf("heap per idle open grant (a waiting step): %.0f bytes (2000 grants)%n",
            (after - before) / 2000.0);
        idle.forEach(StepGrant::close);
        grant.close();
      }
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
      docker.close();
    }
  }

  /** A script of no turns: every call gets the scripted model's fallback answer. */
  private static Path fallbackScript() throws Exception {
    Path dir = Files.createTempDirectory("forge-gateway-bench",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path script = dir.resolve("script.json");
    Files.writeString(script, "{\"turns\": []}");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    return dir;
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** {total ns, first byte ns, status}. */
  private static long[] call(HttpClient http, URI base, String token, boolean stream)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/messages"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(stream)));
    if (token != null) {
      request.header(ModelRoute.TOKEN_HEADER, token);
    }
    long start = System.nanoTime();
    HttpResponse<InputStream> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    long first;
    try (InputStream in = response.body()) {
      in.read();
      first = System.nanoTime() - start;
      in.readAllBytes();
    }
    return new long[] {System.nanoTime() - start, first, response.statusCode()};
  }

  private static void report(String what, List<Long> direct, List<Long> gateway) {
    double d = median(direct);
    double g = median(gateway);
    System.out.printf("%s: direct median %.2f ms, through the gateway %.2f ms: +%.2f ms (%.2fx);"
        + " p90 %.2f vs %.2f ms%n", what, d, g, g - d, g / d, p90(direct), p90(gateway));
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2) / 1e6;
  }

  private static double p90(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((int) (sorted.size() * 0.9)) / 1e6;
  }

  private static void waitFor(HttpClient http, URI upstream) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        http.send(HttpRequest.newBuilder(upstream.resolve("/_scripted/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the scripted model did not start");
  }
}
