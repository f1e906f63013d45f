package dev.forge.spec.sandbox;

import dev.forge.spec.RuleException;
import dev.forge.spec.Shown;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of {@code sandbox.network.allowed}: {@code host:port}, where the host is a DNS name, a
 * wildcard {@code *.example.org} (every name under example.org, not example.org itself) or an IPv4
 * address. The one grammar of the allowlist: the forge.yml parser, the sandbox activity's re-check
 * and the egress proxy's squid.conf all read entries with {@link #parse} or {@link
 * #parseNormalised}, and the proxy refuses {@link #REFUSED_RANGES} whatever name led there.
 *
 * <p>Names are resolved by the egress proxy; destinations that can only be a refused address are
 * refused here already, so that the config says what the proxy will do.
 *
 * @param host a lower-case DNS name ({@code pkgs.example}), the domain of a wildcard ({@code
 *     example.org} for {@code *.example.org}) or an IPv4 address ({@code 203.0.113.7})
 * @param port 1 to 65535
 * @param kind which of the three the host is
 */
public record Destination(String host, int port, Kind kind) {

  /** What an entry's host is. */
  public enum Kind {
    /** Exactly this name. */
    NAME,
    /** Every name under this domain, but not the domain itself. */
    WILDCARD,
    /** Exactly this IPv4 address, written as such in the request. */
    IPV4
  }

  public static final int MAX_NAME_LENGTH = 253;

  /** The longest entry: a longest name, ':' and a port, with room to spare. */
  public static final int MAX_LENGTH = MAX_NAME_LENGTH + 8;

  /**
   * Addresses no sandbox may reach, whatever the allowlist says: the egress proxy refuses a
   * destination when any of its addresses is in one, and an IPv4 entry in one is refused outright.
   * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) need no entry of their own: Squid turns them
   * into IPv4 before matching (and {@code ::ffff:0:0/96} would match every IPv4 address).
   */
  public static final List<Range> REFUSED_RANGES = List.of(
      new Range("0.0.0.0/8", "'this network'"),
      new Range("10.0.0.0/8", "private"),
      new Range("100.64.0.0/10", "shared (carrier-grade NAT)"),
      new Range("127.0.0.0/8", "loopback"),
      new Range("169.254.0.0/16", "link-local (cloud metadata)"),
      new Range("172.16.0.0/12", "private"),
      new Range("192.0.0.0/24", "IETF protocol assignment"),
      new Range("192.168.0.0/16", "private"),
      new Range("198.18.0.0/15", "benchmarking"),
      new Range("224.0.0.0/4", "multicast"),
      new Range("240.0.0.0/4", "reserved or broadcast"),
      new Range("::/128", "unspecified"),
      new Range("::1/128", "loopback"),
      new Range("fc00::/7", "unique local"),
      new Range("fe80::/10", "link-local"),
      new Range("ff00::/8", "multicast"));

  /** A range of addresses, {@code base/prefix}, and what sort of addresses it holds. */
  public record Range(String cidr, String what) {

    boolean containsIpv4(long address) {
      int slash = cidr.indexOf('/');
      String base = cidr.substring(0, slash);
      if (base.indexOf(':') >= 0) {
        return false;
      }
      int prefix = Integer.parseInt(cidr.substring(slash + 1));
      return address >>> (32 - prefix) == toLong(base) >>> (32 - prefix);
    }
  }

  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final String EXAMPLE = "host:port such as pkgs.example:443, *.cdn.example:443 or"
      + " 203.0.113.7:8080";

  /** The entry as written in the allowlist: {@code *.example.org:443}, {@code 203.0.113.7:80}. */
  public String entry() {
    return (kind == Kind.WILDCARD ? "*." : "") + host + ":" + port;
  }

  @Override
  public String toString() {
    return entry();
  }

  /**
   * Parses an entry as a person writes it: the host may be in any case and is normalised to lower
   * case.
   *
   * @throws RuleException naming the rule ({@code type}, {@code range}, {@code format},
   *     {@code unsupported}, {@code forbidden}) and what would be right
   */
  public static Destination parse(String text) {
    return parse(text, true);
  }

  private static Destination parse(String text, boolean refuseRanges) {
    if (text == null) {
      throw new RuleException("type", "must be " + EXAMPLE + ", got nothing (null)");
    }
    if (text.length() > MAX_LENGTH) {
      throw new RuleException("range", "must be at most " + MAX_LENGTH + " characters, got "
          + text.length());
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new RuleException("format", "must be " + EXAMPLE + " without spaces or control"
            + " characters, got " + Shown.value(text));
      }
    }
    if (text.contains("://")) {
      throw new RuleException("format", "must be " + EXAMPLE + ", without a scheme such as"
          + " https://; got " + Shown.value(text));
    }
    if (text.indexOf('/') >= 0) {
      throw new RuleException("format", "must be " + EXAMPLE + ", without a path: the proxy allows"
          + " a destination, not a URL; got " + Shown.value(text));
    }
    if (text.indexOf('@') >= 0) {
      throw new RuleException("format", "must be " + EXAMPLE + ", without user info (user@);"
          + " credentials belong in credentials.env; got " + Shown.value(text));
    }
    if (text.startsWith("[") || text.indexOf(':') != text.lastIndexOf(':')) {
      throw new RuleException("unsupported", "IPv6 addresses are not supported; name the host by"
          + " its DNS name or an IPv4 address, got " + Shown.value(text));
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new RuleException("format", "needs a port: write " + EXAMPLE + ", got "
          + Shown.value(text));
    }
    int port = port(text, text.substring(colon + 1));
    return host(text, text.substring(0, colon).toLowerCase(Locale.ROOT), port, refuseRanges);
  }

  /**
   * Parses an entry that must already be in its normalised form ({@link #entry()}), as the
   * allowlist of a recorded loop holds it: what reaches a squid.conf is exactly what was checked.
   * The grammar is {@link #parse}'s; an IPv4 address in {@link #REFUSED_RANGES} is let through,
   * because the egress proxy refuses those ranges itself (its {@code dst} ACL is written from the
   * same list) whatever the allowlist says, and that second layer is tested with such entries.
   *
   * @throws RuleException for anything else {@link #parse} refuses, and for an entry that is not
   *     written the way {@code parse} normalises it (upper case)
   */
  public static Destination parseNormalised(String entry) {
    Destination destination;
    try {
      destination = parse(entry, false);
    } catch (RuleException e) {
      throw new RuleException(e.rule(), "allowlist entry " + shown(entry) + ": " + e.detail());
    }
    if (!destination.entry().equals(entry)) {
      throw new RuleException("format", "allowlist entry " + shown(entry) + " is not normalised;"
          + " write it as " + destination.entry());
    }
    return destination;
  }

  /**
   * Whether this entry lets a request to {@code name} through, on any port: the same name, or a
   * wildcard over one of its parent domains (never the apex itself, as the proxy matches it).
   *
   * @param name a lower-case DNS name
   */
  public boolean matchesHost(String name) {
    return switch (kind) {
      case NAME, IPV4 -> host.equals(name);
      case WILDCARD -> name.endsWith("." + host);
    };
  }

  private static String shown(String entry) {
    return entry == null ? "null" : Shown.quoted(entry);
  }

  private static int port(String text, String port) {
    if (!PORT.matcher(port).matches()) {
      throw new RuleException("format", "must end in a port number 1 to 65535: write " + EXAMPLE
          + ", got " + Shown.value(text));
    }
    int number = Integer.parseInt(port);
    if (number < 1 || number > 65_535) {
      throw new RuleException("range", "port must be between 1 and 65535, got " + number);
    }
    return number;
  }

  private static Destination host(String text, String host, int port, boolean refuseRanges) {
    if (host.isEmpty()) {
      throw new RuleException("format", "needs a host before the port: write " + EXAMPLE
          + ", got " + Shown.value(text));
    }
    if (IPV4.matcher(host).matches()) {
      return new Destination(ipv4(text, host, refuseRanges), port, Kind.IPV4);
    }
    boolean wildcard = host.startsWith("*.");
    String name = wildcard ? host.substring(2) : host;
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      throw new RuleException("forbidden", Shown.value(text) + " is the sandbox's own loopback,"
          + " never reachable through the egress proxy; list only outside hosts");
    }
    if (name.indexOf('*') >= 0) {
      throw new RuleException("format", "may use '*' only as a whole first label, as in"
          + " *.example.org:443 (every name under example.org), got " + Shown.value(text));
    }
    if (host.length() > MAX_NAME_LENGTH) {
      throw new RuleException("range", "host names are at most " + MAX_NAME_LENGTH
          + " characters, got " + host.length());
    }
    String[] labels = name.split("\\.", -1);
    if (wildcard && labels.length < 2) {
      throw new RuleException("format", "a wildcard needs at least two labels after '*.', as in"
          + " *.example.org:443, got " + Shown.value(text));
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new RuleException("format", "host must be a DNS name of dot-separated labels, each 1"
            + " to 63 letters, digits or '-' not starting or ending with '-' (or an IPv4 address),"
            + " got " + Shown.value(text));
      }
    }
    if (!Character.isLetter(labels[labels.length - 1].charAt(0))) {
      // A numeric last label is no DNS name: resolvers read 127.1 or 2130706433 as an address.
      throw new RuleException("format", "host must be a DNS name whose last label starts with a"
          + " letter, or a complete IPv4 address such as 203.0.113.7, got " + Shown.value(text));
    }
    return new Destination(name, port, wildcard ? Kind.WILDCARD : Kind.NAME);
  }

  private static String ipv4(String text, String host, boolean refuseRanges) {
    for (String octet : host.split("\\.")) {
      if (!OCTET.matcher(octet).matches() || Integer.parseInt(octet) > 255) {
        throw new RuleException("format", "an IPv4 address must be four numbers 0 to 255 without"
            + " leading zeros, got " + Shown.value(text));
      }
    }
    long address = toLong(host);
    for (Range range : refuseRanges ? REFUSED_RANGES : List.<Range>of()) {
      if (range.containsIpv4(address)) {
        throw new RuleException("forbidden", host + " is a " + range.what() + " address ("
            + range.cidr() + "); the egress proxy never connects to private, loopback,"
            + " link-local or metadata addresses");
      }
    }
    return host;
  }

  private static long toLong(String dotted) {
    long address = 0;
    for (String octet : dotted.split("\\.")) {
      address = address << 8 | Integer.parseInt(octet);
    }
    return address;
  }
}
