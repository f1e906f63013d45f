package dev.forge.api.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its
 * /64 prefix (one subscriber usually holds a whole /64, so single addresses would be free to
 * rotate). The address is the TCP peer's, or — only when {@code server.forward-headers-strategy}
 * trusts a proxy — the one that proxy reports.
 */
public final class ClientAddress {

  private ClientAddress() {}

  public static String key(String remoteAddr) {
    if (remoteAddr == null || remoteAddr.indexOf(':') < 0) {
      return String.valueOf(remoteAddr);
    }
    try {
      // A literal address: parsed without any name lookup.
      byte[] bytes = InetAddress.getByName(remoteAddr).getAddress();
      if (bytes.length != 16) {
        return remoteAddr;
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException e) {
      return remoteAddr;
    }
  }
}
