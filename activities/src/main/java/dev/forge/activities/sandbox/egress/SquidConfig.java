package dev.forge.activities.sandbox.egress;

import dev.forge.spec.sandbox.Destination;
import dev.forge.spec.sandbox.Destination.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the squid.conf of one sandbox step's egress proxy.
 *
 * <p>What the proxy does, in order:
 *
 * <ol>
 *   <li>Refuses Squid's cache manager, and every client outside the step's internal network.
 *   <li>Refuses every request whose host (as written: a name, or an IPv4 address for IPv4 entries)
 *       and port are not an allowlist pair. These checks need no DNS, so a name the allowlist does
 *       not hold is never even resolved: the sandbox cannot use the proxy's resolver to smuggle
 *       data out in DNS queries.
 *   <li>For an allowlisted pair, resolves the host and refuses it if <em>any</em> of its addresses
 *       is loopback, private, shared, link-local (cloud metadata), multicast, reserved, or one of
 *       the Docker host's own addresses (Squid's {@code dst} ACL matches when any resolved address
 *       does). Otherwise it tunnels (CONNECT) or forwards (plain HTTP) to the addresses it checked:
 *       the check and the connection use the same entry of Squid's DNS cache, which keeps every
 *       answer for at least {@value #MIN_DNS_CACHE_SECONDS} seconds.
 *   <li>Refuses everything else.
 * </ol>
 *
 * <p>No cache, no ICP/HTCP/SNMP, no Via or X-Forwarded-For, no pinger. The access log goes to
 * stdout in {@link EgressDecision}'s format; Squid's own log goes to stderr.
 *
 * <p>Every value that enters the file has been checked strictly (allowlist entries by {@link
 * Destination#parseNormalised}, addresses by {@link Cidr}), so an entry cannot add configuration lines.
 */
public final class SquidConfig {

  /** The port Squid listens on. */
  public static final int PORT = 3128;

  /**
   * The port where a step with a model provider reaches Forge's model gateway: Squid accepts plain
   * HTTP there as a reverse proxy and forwards every request to the gateway, and only there.
   */
  public static final int MODEL_PORT = 3129;

  /** The shortest time an answer stays in Squid's DNS cache ({@code negative_dns_ttl}). */
  static final int MIN_DNS_CACHE_SECONDS = 30;

  /** The marker that starts every access log line. */
  static final String LOG_MARKER = "FORGE_EGRESS";

  /** Addresses no sandbox may reach, whatever the allowlist says: {@link Destination}'s. */
  static final List<String> REFUSED_RANGES =
      Destination.REFUSED_RANGES.stream().map(Destination.Range::cidr).toList();

  private static final String LOG_FORMAT = LOG_MARKER + " %ts.%03tu %>a %rm %>rd %>rP %>Hs %Ss %<a";

  private final List<Destination> allowed;
  private final List<Cidr> hostAddresses;
  private final List<Cidr> clients;
  private final ModelRoute model;

  private SquidConfig(
      List<Destination> allowed, List<Cidr> hostAddresses, List<Cidr> clients, ModelRoute model) {
    this.allowed = allowed;
    this.hostAddresses = hostAddresses;
    this.clients = clients;
    this.model = model;
  }

  /**
   * This configuration plus the step's way to the model gateway: {@link #MODEL_PORT}, forwarded to
   * the gateway only, with the step's token added to every request. Nothing else reaches the
   * gateway's address (it is one of the host's, refused on the forward proxy port).
   */
  public SquidConfig withModelRoute(ModelRoute route) {
    return new SquidConfig(allowed, hostAddresses, clients, route);
  }

  /** The route to the model gateway, or {@code null}. */
  public ModelRoute modelRoute() {
    return model;
  }

  /**
   * A configuration for one step.
   *
   * @param allowedHosts normalised {@code host:port} entries: a lower-case DNS name, {@code
   *     *.domain} (every name under the domain, not the domain itself) or an IPv4 address
   * @param hostAddresses the Docker host's own addresses (IPv4 or IPv6, optionally {@code
   *     /prefix}): refused like private ones, so that nothing listening on the host (the Forge API)
   *     is reachable through the proxy; addresses the fixed ranges already hold are left out
   * @param clientNetworks the ranges clients may come from (the step's internal network); empty for
   *     any
   * @throws IllegalArgumentException if an entry or address is not exactly that
   */
  public static SquidConfig of(
      Collection<String> allowedHosts,
      Collection<String> hostAddresses,
      Collection<String> clientNetworks) {
    Set<Destination> allowed = new LinkedHashSet<>();
    for (String entry : allowedHosts) {
      allowed.add(Destination.parseNormalised(entry));
    }
    List<Cidr> refused = REFUSED_RANGES.stream().map(Cidr::parse).toList();
    Set<Cidr> host = new LinkedHashSet<>();
    for (String address : hostAddresses) {
      Cidr cidr = Cidr.parse(address);
      if (refused.stream().noneMatch(range -> covers(range, cidr))) {
        host.add(cidr);
      }
    }
    Set<Cidr> clients = new LinkedHashSet<>();
    for (String network : clientNetworks) {
      clients.add(Cidr.parse(network));
    }
    return new SquidConfig(List.copyOf(allowed), List.copyOf(host), List.copyOf(clients), null);
  }

  /** The allowlist, as checked and without duplicates. */
  public List<String> allowedHosts() {
    return allowed.stream().map(Destination::entry).toList();
  }

  /** The host addresses refused in addition to the fixed ranges. */
  public List<String> hostAddresses() {
    return hostAddresses.stream().map(Cidr::toString).toList();
  }

  /** The squid.conf text. */
  public String render() {
    List<String> out = new ArrayList<>();
    out.add("# squid.conf of a Forge egress proxy; generated for one sandbox step.");
    out.add("http_port " + PORT);
    if (model != null) {
      // A reverse proxy port: requests arrive as to an origin server, and go to the gateway only.
      out.add("http_port " + MODEL_PORT + " accel defaultsite=forge-model-gateway name=forge_model");
    }
    out.add("pid_filename none");
    out.add("visible_hostname forge-egress");
    out.add("httpd_suppress_version_string on");
    out.add("");
    out.add("# No cache, no neighbours, no side channels.");
    out.add("cache deny all");
    out.add("cache_mem 0 MB");
    out.add("cache_store_log none");
    out.add("digest_generation off");
    out.add("icp_port 0");
    out.add("htcp_port 0");
    out.add("snmp_port 0");
    out.add("icp_access deny all");
    out.add("htcp_access deny all");
    out.add("snmp_access deny all");
    out.add("pinger_enable off");
    out.add("netdb_filename none");
    out.add("client_db off");
    out.add("via off");
    out.add("forwarded_for delete");
    out.add("");
    out.add("# Short timeouts; DNS answers cached at least " + MIN_DNS_CACHE_SECONDS + " seconds.");
    out.add("connect_timeout 10 seconds");
    out.add("forward_timeout 30 seconds");
    out.add("dns_timeout 15 seconds");
    out.add("negative_dns_ttl " + MIN_DNS_CACHE_SECONDS + " seconds");
    out.add("positive_dns_ttl 5 minutes");
    out.add("max_filedescriptors 4096");
    out.add("# Squid's DNS client socket listens on loopback only, out of the sandbox's reach.");
    out.add("udp_outgoing_address 127.0.0.1");
    out.add("coredump_dir /var/spool/squid");
    out.add("");
    out.add("# Every decision on stdout, Squid's own messages on stderr.");
    out.add("logformat forge " + LOG_FORMAT);
    if (model != null) {
      // The gateway audits every model call itself, with what the model said.
      out.add("acl forge_model myportname forge_model");
      out.add("access_log stdio:/dev/stdout forge !forge_model");
    } else {
      out.add("access_log stdio:/dev/stdout forge");
    }
    out.add("cache_log /dev/stderr");
    out.add("logfile_rotate 0");
    out.add("");
    out.add("acl forge_refused_dst dst " + join(REFUSED_RANGES));
    if (!hostAddresses.isEmpty()) {
      out.add("acl forge_docker_host dst " + join(hostAddresses()));
    }
    out.add("http_access deny manager");
    if (!clients.isEmpty()) {
      out.add("acl forge_clients src " + join(clients.stream().map(Cidr::toString).toList()));
      out.add("http_access deny !forge_clients");
    }
    if (model != null) {
      out.add("");
      out.add("# The model gateway: the only peer, for the model port only, with the step's token.");
      out.add("cache_peer " + model.gatewayAddress() + " parent " + model.gatewayPort()
          + " 0 no-query no-digest no-netdb-exchange originserver name=forge_gateway");
      out.add("cache_peer_access forge_gateway allow forge_model");
      out.add("cache_peer_access forge_gateway deny all");
      out.add("never_direct allow forge_model");
      out.add("request_header_add " + ModelRoute.TOKEN_HEADER + " \"" + model.token()
          + "\" forge_model");
      out.add("acl forge_connect method CONNECT");
      out.add("http_access deny forge_model forge_connect");
      out.add("http_access allow forge_model");
    }
    int n = 0;
    for (Destination destination : allowed) {
      n++;
      out.add("");
      out.add("# " + destination.entry());
      String match = acls(out, "forge_allow_" + n, destination);
      out.add("http_access deny " + match + " forge_refused_dst");
      if (!hostAddresses.isEmpty()) {
        out.add("http_access deny " + match + " forge_docker_host");
      }
      out.add("http_access allow " + match);
    }
    out.add("");
    out.add("http_access deny all");
    return String.join("\n", out) + "\n";
  }

  /** Declares the ACLs of one allowlist pair; returns what an http_access line must match. */
  private static String acls(List<String> out, String name, Destination destination) {
    // -n: never look a request's IP address up in reverse DNS to match a name.
    String host = name + "_host";
    String port = name + "_port";
    String match;
    if (destination.kind() == Kind.WILDCARD) {
      String apex = name + "_apex";
      out.add("acl " + host + " dstdomain -n ." + destination.host());
      out.add("acl " + apex + " dstdomain -n " + destination.host());
      match = host + " !" + apex + " " + port;
    } else {
      out.add("acl " + host + " dstdomain -n " + destination.host());
      match = host + " " + port;
    }
    out.add("acl " + port + " port " + destination.port());
    return match;
  }

  private static boolean covers(Cidr range, Cidr cidr) {
    return range.isIpv4() == cidr.isIpv4()
        && range.prefix() <= cidr.prefix()
        && range.contains(cidr.network());
  }

  private static String join(List<String> values) {
    return String.join(" ", values);
  }
}
