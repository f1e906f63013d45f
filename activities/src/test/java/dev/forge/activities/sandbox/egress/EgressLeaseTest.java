package dev.forge.activities.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class EgressLeaseTest {

  private final EgressLease lease =
      new EgressLease(
          "loop-1",
          3,
          "agent",
          "run-1",
          "net-id",
          "net-name",
          "proxy-id",
          "172.18.0.2",
          List.of("pkgs.example:443"));

  @Test
  void shouldPointHttpClientsAtTheProxy() {
    assertThat(lease.proxyUrl()).isEqualTo("http://172.18.0.2:3128");
    assertThat(lease.proxyEnvironment())
        .contains(
            "HTTP_PROXY=http://172.18.0.2:3128",
            "HTTPS_PROXY=http://172.18.0.2:3128",
            "http_proxy=http://172.18.0.2:3128",
            "https_proxy=http://172.18.0.2:3128",
            "NO_PROXY=localhost,127.0.0.1,::1");
  }

  @Test
  void shouldPutTheSandboxOnTheInternalNetworkWithoutAResolver() {
    HostConfig config =
        lease.isolate(HostConfig.newHostConfig().withNetworkMode("none").withReadonlyRootfs(true));

    assertThat(config.getNetworkMode()).isEqualTo("net-id");
    assertThat(config.getDns()).containsExactly("172.18.0.2");
    assertThat(config.getDnsOptions()).containsExactly("timeout:1", "attempts:1");
    assertThat(config.getDnsSearch()).containsExactly(".");
    assertThat(config.getExtraHosts()).isEmpty();
    assertThat(config.getReadonlyRootfs()).isTrue();
  }
}
