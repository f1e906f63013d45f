package dev.forge.activities.sandbox.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range, {@code address/prefix}; a bare address is a range of one. Parsing
 * never touches DNS: only literals are accepted.
 *
 * @param network the first address of the range
 * @param prefix the number of leading bits every address of the range shares
 */
public record Cidr(InetAddress network, int prefix) {

  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");

  /** Hex digits, colons and (for an embedded IPv4 tail) dots, with at least one colon. */
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F.]*:[0-9a-fA-F:.]*");

  private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

  public Cidr {
    int bits = network.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix must be 0 to " + bits + ", got " + prefix);
    }
    network = masked(network, prefix);
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code 203.0.113.7}, {@code fc00::/7} or {@code ::1}; an IPv6 zone
   * ({@code fe80::1%eth0}) is dropped.
   *
   * @throws IllegalArgumentException for anything that is not such a literal
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("an address is null");
    }
    String range = text.strip();
    int slash = range.indexOf('/');
    String address = slash < 0 ? range : range.substring(0, slash);
    int zone = address.indexOf('%');
    if (zone >= 0) {
      address = address.substring(0, zone);
    }
    InetAddress parsed = literal(address, text);
    int bits = parsed.getAddress().length * 8;
    if (slash < 0) {
      return new Cidr(parsed, bits);
    }
    String prefix = range.substring(slash + 1);
    if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
      throw new IllegalArgumentException(
          "not an address range: '" + text + "' (the prefix must be 0 to " + bits + ")");
    }
    return new Cidr(parsed, Integer.parseInt(prefix));
  }

  /** Parses an IPv4 or IPv6 literal, never resolving a name. */
  static InetAddress literal(String address, String original) {
    try {
      if (IPV4.matcher(address).matches()) {
        return InetAddress.getByName(address);
      }
      if (IPV6.matcher(address).matches()) {
        // Brackets make Java treat it as an IPv6 literal or fail; never a name lookup.
        return InetAddress.getByName("[" + address + "]");
      }
    } catch (UnknownHostException e) {
      // Reported below.
    }
    throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + original + "'");
  }

  boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  public boolean contains(InetAddress address) {
    byte[] mine = network.getAddress();
    byte[] theirs = address.getAddress();
    if (mine.length != theirs.length) {
      return false;
    }
    return masked(address, prefix).equals(network);
  }

  /** Squid's form: the bare address for a single one, {@code address/prefix} otherwise. */
  @Override
  public String toString() {
    String address = network.getHostAddress();
    int zone = address.indexOf('%');
    if (zone >= 0) {
      address = address.substring(0, zone);
    }
    return prefix == network.getAddress().length * 8 ? address : address + "/" + prefix;
  }

  private static InetAddress masked(InetAddress address, int prefix) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }
}
