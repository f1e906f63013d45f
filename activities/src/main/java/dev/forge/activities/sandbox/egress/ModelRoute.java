package dev.forge.activities.sandbox.egress;

import java.util.regex.Pattern;

/**
 * Where a step's egress proxy sends the sandbox's model calls: Forge's model gateway on the worker,
 * reached from the proxy's side of the egress network, with the token that binds the calls to this
 * step. The token goes into the proxy's configuration (which the sandbox cannot read) and onto
 * every request the proxy forwards to the gateway; the sandbox never sees it.
 *
 * @param gatewayAddress the gateway's IPv4 address as the proxy reaches it (the worker's address on
 *     the egress network)
 * @param gatewayPort the gateway's port
 * @param token the step's token: base64url, 16 to 128 characters
 */
public record ModelRoute(String gatewayAddress, int gatewayPort, String token) {

  /** The header the proxy adds; the gateway's {@code ModelGateway.TOKEN_HEADER}. */
  public static final String TOKEN_HEADER = "X-Forge-Gateway-Token";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  public ModelRoute {
    Cidr address = Cidr.parse(gatewayAddress);
    if (!address.isIpv4() || gatewayAddress.contains("/")) {
      throw new IllegalArgumentException("the model gateway's address must be one IPv4 address,"
          + " got " + gatewayAddress);
    }
    if (gatewayPort < 1 || gatewayPort > 65_535) {
      throw new IllegalArgumentException("the model gateway's port must be 1 to 65535, got "
          + gatewayPort);
    }
    // Checked so that it can go into squid.conf as it is: nothing in it can start a new directive.
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("a gateway token must be 16 to 128 base64url characters");
    }
  }

  @Override
  public String toString() {
    // Never the token: a lease is logged.
    return "ModelRoute[" + gatewayAddress + ":" + gatewayPort + "]";
  }
}
