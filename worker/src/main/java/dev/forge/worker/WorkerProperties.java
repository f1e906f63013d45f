package dev.forge.worker;

import dev.forge.activities.sandbox.egress.EgressSettings;
import dev.forge.activities.sandbox.gateway.GatewaySettings;
import dev.forge.activities.workspace.DiskQuotaMode;
import dev.forge.spec.loop.ModelProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code forge.worker.*}: where the worker keeps loop work trees and how it reaches Docker.
 *
 * @param worktreesDir where each loop's git worktree is created ({@code <dir>/<loop-id>})
 * @param dockerHost the Docker engine, e.g. {@code unix:///var/run/docker.sock}
 * @param heartbeatInterval how often a running sandbox step heartbeats (and notices cancellation)
 * @param gitTimeout the longest one host-side git command may take
 * @param diskQuota {@code enforce} (the default): each loop's work tree is a file system of the
 *     size its configuration asks for, so a sandbox cannot fill the host's disk, and a worker that
 *     cannot make one (not root, no loop devices, no mkfs.ext4) fails such a loop; {@code off}:
 *     loops run without a disk quota, which is weaker
 * @param egress the egress proxy of sandboxes in network mode {@code restricted}
 * @param reaperPeriod how often the orphan sweep runs (after a first sweep 10 s after start):
 *     removes sandboxes of loops that ended and releases their disk quotas; at least 5 s, default
 *     5 minutes
 * @param stickyExecution whether workflow tasks stay with the worker that has the loop cached
 *     (Temporal's sticky execution; default {@code true}). Set {@code false} when this worker talks
 *     to the embedded Temporal test server of another Forge process: that server never hands a
 *     dead worker's sticky tasks (and queries) back to the shared task queue, so a loop would wait
 *     for the dead worker forever
 * @param gateway the model gateway of loops that name {@code loop.agent.model}
 */
@ConfigurationProperties("forge.worker")
public record WorkerProperties(
    Path worktreesDir,
    String dockerHost,
    Duration heartbeatInterval,
    Duration gitTimeout,
    DiskQuotaMode diskQuota,
    Egress egress,
    Duration reaperPeriod,
    Boolean stickyExecution,
    Gateway gateway) {

  /** The shortest orphan sweep period: each sweep asks Temporal about every labelled sandbox. */
  static final Duration MIN_REAPER_PERIOD = Duration.ofSeconds(5);

  /**
   * {@code forge.worker.egress.*}.
   *
   * @param network the bridge network the proxies reach the internet through (created, labelled,
   *     when missing)
   * @param proxyImage the Squid image ({@code sandbox-images/egress-proxy})
   * @param deniedAddresses addresses the proxy refuses besides private, loopback, link-local and
   *     metadata ranges and the worker's own addresses: for example the public address of the
   *     machine that serves the Forge API, when that is another machine
   */
  public record Egress(String network, String proxyImage, List<String> deniedAddresses) {
    public Egress {
      network = network == null || network.isBlank() ? EgressSettings.DEFAULT_EGRESS_NETWORK : network;
      proxyImage = proxyImage == null || proxyImage.isBlank()
          ? EgressSettings.DEFAULT_PROXY_IMAGE : proxyImage;
      deniedAddresses = deniedAddresses == null ? List.of() : List.copyOf(deniedAddresses);
    }

    EgressSettings settings() {
      return EgressSettings.defaults().withEgressNetwork(network).withProxyImage(proxyImage)
          .withDeniedAddresses(deniedAddresses);
    }
  }

  /**
   * {@code forge.worker.gateway.*}: the model gateway, which holds the providers' keys and meters,
   * caps and audits every model call of a loop that names {@code loop.agent.model}.
   *
   * @param enabled whether this worker runs it (default true); without it such steps are refused
   * @param bindAddress where it listens; default the worker's address on the egress network, where
   *     only the steps' proxies reach it
   * @param upstreams a provider's base URI by name ({@code anthropic}, {@code openai}); default the
   *     provider's public API over HTTPS. An operator may point one at a scripted model or a
   *     company proxy
   * @param trustUpstreams whether an upstream may resolve to a loopback or private address (an
   *     upstream the operator runs: the scripted model of the tests and the demo); default false
   * @param maxRequestBytes the largest request forwarded (default 32 MiB); larger ones get 413
   * @param defaultMaxOutputTokens the output limit of a call that names none (default 32000)
   */
  public record Gateway(Boolean enabled, String bindAddress, Map<String, URI> upstreams,
      Boolean trustUpstreams, Long maxRequestBytes, Integer defaultMaxOutputTokens) {
    public Gateway {
      enabled = enabled == null || enabled;
      upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
      trustUpstreams = trustUpstreams != null && trustUpstreams;
      for (String name : upstreams.keySet()) {
        if (ModelProvider.byName(name).isEmpty()) {
          throw new IllegalArgumentException("forge.worker.gateway.upstreams." + name
              + " is not a provider; known: " + String.join(", ", ModelProvider.names()));
        }
      }
    }

    /** The gateway's settings; a {@code null} bind address means the egress network's. */
    public GatewaySettings settings() {
      GatewaySettings defaults = GatewaySettings.defaults(bindAddress);
      Map<ModelProvider, URI> resolved = new EnumMap<>(defaults.upstreams());
      upstreams.forEach((name, uri) -> resolved.put(ModelProvider.byName(name).orElseThrow(), uri));
      return new GatewaySettings(bindAddress, 0, resolved, trustUpstreams,
          maxRequestBytes == null ? defaults.maxRequestBytes() : maxRequestBytes,
          defaults.maxResponseBytes(), defaults.connectTimeout(), defaults.responseTimeout(),
          defaultMaxOutputTokens == null ? defaults.defaultMaxOutputTokens()
              : defaultMaxOutputTokens);
    }
  }

  public WorkerProperties {
    if (worktreesDir == null) {
      throw new IllegalArgumentException("forge.worker.worktrees-dir must be set");
    }
    worktreesDir = worktreesDir.toAbsolutePath().normalize();
    dockerHost = dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost;
    heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(2) : heartbeatInterval;
    gitTimeout = gitTimeout == null ? Duration.ofMinutes(2) : gitTimeout;
    diskQuota = diskQuota == null ? DiskQuotaMode.ENFORCE : diskQuota;
    egress = egress == null ? new Egress(null, null, null) : egress;
    reaperPeriod = reaperPeriod == null ? Duration.ofMinutes(5) : reaperPeriod;
    if (reaperPeriod.compareTo(MIN_REAPER_PERIOD) < 0) {
      throw new IllegalArgumentException("forge.worker.reaper-period must be at least "
          + MIN_REAPER_PERIOD.toSeconds() + "s, got " + reaperPeriod);
    }
    stickyExecution = stickyExecution == null || stickyExecution;
    gateway = gateway == null ? new Gateway(null, null, null, null, null, null) : gateway;
  }
}
