package dev.forge.activities.sandbox.egress;

import com.github.dockerjava.api.model.HostConfig;
import java.util.List;

/**
 * A running egress proxy and the internal network it guards, for one attempt of one sandbox step.
 * {@link EgressProxies#stop} ends it.
 *
 * @param loopId the loop
 * @param iteration the iteration
 * @param step the step name
 * @param runId the attempt that started it
 * @param networkId the id of the step's internal network: the sandbox joins this one, and nothing
 *     else
 * @param networkName that network's name
 * @param proxyContainerId the proxy container
 * @param proxyIp the proxy's address on the internal network
 * @param allowedHosts the allowlist the proxy enforces
 * @param modelRoute whether the proxy forwards its {@link SquidConfig#MODEL_PORT} to the model
 *     gateway
 */
public record EgressLease(
    String loopId,
    int iteration,
    String step,
    String runId,
    String networkId,
    String networkName,
    String proxyContainerId,
    String proxyIp,
    List<String> allowedHosts,
    boolean modelRoute) {

  /**
   * The resolver options the sandbox gets: its only name server answers nothing, so give up after
   * one short try instead of the C library's default of two 5-second tries per query.
   */
  public static final List<String> SANDBOX_DNS_OPTIONS = List.of("timeout:1", "attempts:1");

  /**
   * The name the sandbox reaches the model gateway by: an /etc/hosts entry for the proxy's address,
   * so an agent's configuration can name it before the step's addresses are known (Codex's
   * provider table in its image does).
   */
  public static final String MODEL_HOST = "forge-model-gateway";

  /** Names no request goes through the proxy for. */
  public static final String NO_PROXY = "localhost,127.0.0.1,::1";

  public EgressLease {
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** A lease without a route to the model gateway. */
  public EgressLease(String loopId, int iteration, String step, String runId, String networkId,
      String networkName, String proxyContainerId, String proxyIp, List<String> allowedHosts) {
    this(loopId, iteration, step, runId, networkId, networkName, proxyContainerId, proxyIp,
        allowedHosts, false);
  }

  /**
   * {@code http://forge-model-gateway:3129}: where the sandbox reaches the model gateway (plain
   * HTTP to its own proxy, which adds the step's token and forwards to the gateway); {@code null}
   * without a route.
   */
  public String modelUrl() {
    return modelRoute ? "http://" + MODEL_HOST + ":" + SquidConfig.MODEL_PORT : null;
  }

  /** {@code ip:port} of the proxy on the internal network. */
  public String proxyAddress() {
    return proxyIp + ":" + SquidConfig.PORT;
  }

  /** {@code http://ip:3128}. */
  public String proxyUrl() {
    return "http://" + proxyAddress();
  }

  /**
   * The sandbox's name servers: the proxy's own address, where nothing listens on port 53. Docker
   * still writes {@code nameserver 127.0.0.11} (its embedded resolver) into the sandbox's
   * resolv.conf, and that resolver answers the names of containers on the internal network; every
   * other query it forwards to these servers from inside the sandbox's network namespace, where the
   * proxy refuses it. An explicit non-loopback server also keeps Docker from forwarding to a
   * loopback resolver of the host (systemd-resolved's 127.0.0.53) from the host's namespace, which
   * some engines do even for internal networks (CVE-2024-29018).
   */
  public List<String> sandboxDns() {
    return List.of(proxyIp);
  }

  /**
   * The variables that point HTTP clients in the sandbox at the proxy: {@code HTTP_PROXY}, {@code
   * HTTPS_PROXY}, {@code ALL_PROXY} and {@code NO_PROXY}, each also in lower case (curl reads only
   * {@code http_proxy} in lower case).
   */
  public List<String> proxyEnvironment() {
    String url = proxyUrl();
    // With a model route, clients reach the proxy's model port directly, not through its forward
    // port (which refuses the proxy's own address like every private one).
    String noProxy = modelRoute ? NO_PROXY + "," + MODEL_HOST + "," + proxyIp : NO_PROXY;
    return List.of(
        "HTTP_PROXY=" + url,
        "HTTPS_PROXY=" + url,
        "ALL_PROXY=" + url,
        "NO_PROXY=" + noProxy,
        "http_proxy=" + url,
        "https_proxy=" + url,
        "all_proxy=" + url,
        "no_proxy=" + noProxy);
  }

  /**
   * Puts a sandbox's container on the internal network, with no resolver of its own and no search
   * domains: sets the network mode, DNS servers, DNS options and DNS search of {@code hostConfig}
   * (and sets the only extra /etc/hosts entry: {@link #MODEL_HOST} with a model route). Everything
   * else is left as it is.
   */
  public HostConfig isolate(HostConfig hostConfig) {
    return hostConfig
        .withNetworkMode(networkId)
        .withDns(sandboxDns())
        .withDnsOptions(SANDBOX_DNS_OPTIONS)
        // "." is Docker's way of saying: no search line at all (not the host's).
        .withDnsSearch(List.of("."))
        .withExtraHosts(modelRoute ? new String[] {MODEL_HOST + ":" + proxyIp} : new String[0]);
  }
}
