package dev.forge.activities.sandbox.egress;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a sandbox's egress allowlist, checked strictly: it ends up in a Squid configuration
 * file, so nothing but the characters of a host name, a dot-separated IPv4 address and a port may
 * pass.
 *
 * @param host a lower-case DNS name ({@code pkgs.example}), the domain of a wildcard ({@code
 *     example.org} for {@code *.example.org}) or an IPv4 address ({@code 203.0.113.7})
 * @param port 1 to 65535
 * @param kind which of the three the host is
 */
record AllowedDestination(String host, int port, Kind kind) {

  /** What an entry's host is. */
  enum Kind {
    /** Exactly this name. */
    NAME,
    /** Every name under this domain, but not the domain itself. */
    WILDCARD,
    /** Exactly this IPv4 address, written as such in the request. */
    IPV4
  }

  static final int MAX_NAME_LENGTH = 253;

  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

  /** The last label starts with a letter: resolvers read all-numeric names as addresses. */
  private static final String NAME = "(?:" + LABEL + "\\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?";

  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final String PORT = "[1-9][0-9]{0,4}";
  private static final Pattern ENTRY =
      Pattern.compile(
          "(?:(?<wildcard>\\*\\.)?(?<name>"
              + NAME
              + ")|(?<ipv4>"
              + OCTET
              + "(?:\\."
              + OCTET
              + "){3}))"
              + ":(?<port>"
              + PORT
              + ")");

  AllowedDestination {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
  }

  /**
   * Parses a normalised {@code host:port} entry.
   *
   * @throws IllegalArgumentException for anything else: upper case, a scheme, a path, spaces or
   *     control characters, IPv6, a wildcard anywhere but as a whole first label, a wildcard over a
   *     single label ({@code *.org}), an all-numeric name, a port outside 1 to 65535
   */
  static AllowedDestination parse(String entry) {
    if (entry == null) {
      throw new IllegalArgumentException("an allowlist entry is null");
    }
    Matcher m = ENTRY.matcher(entry);
    if (entry.length() > MAX_NAME_LENGTH + 8 || !m.matches()) {
      throw new IllegalArgumentException(
          "allowlist entry "
              + shown(entry)
              + " is not a normalised host:port (a lower-case DNS name, *.domain or an IPv4"
              + " address, then a port 1 to 65535)");
    }
    int port = Integer.parseInt(m.group("port"));
    if (port > 65_535) {
      throw new IllegalArgumentException(
          "allowlist entry " + shown(entry) + ": the port must be 1 to 65535");
    }
    if (m.group("ipv4") != null) {
      return new AllowedDestination(m.group("ipv4"), port, Kind.IPV4);
    }
    String name = m.group("name");
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "allowlist entry " + shown(entry) + ": a host name is at most 253 characters");
    }
    if (m.group("wildcard") == null) {
      return new AllowedDestination(name, port, Kind.NAME);
    }
    if (name.indexOf('.') < 0) {
      throw new IllegalArgumentException(
          "allowlist entry "
              + shown(entry)
              + ": a wildcard needs at least two labels after '*.', as in *.example.org:443");
    }
    return new AllowedDestination(name, port, Kind.WILDCARD);
  }

  /** The entry as written in the allowlist. */
  String entry() {
    return (kind == Kind.WILDCARD ? "*." : "") + host + ":" + port;
  }

  /** The entry for an error message: quoted, control characters escaped, long ones cut. */
  private static String shown(String entry) {
    StringBuilder out = new StringBuilder("'");
    int limit = Math.min(entry.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = entry.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(entry.length() > limit ? "...'" : "'").toString();
  }
}
