package dev.forge.api.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks one entry of {@code sandbox.network.allowed}: {@code host:port}, where the host is a DNS
 * name, a wildcard {@code *.example.org} (every name under example.org, not example.org itself) or
 * an IPv4 address. Names are resolved by the egress proxy, which refuses private, loopback,
 * link-local and metadata addresses whatever name led there; destinations that can only be such an
 * address are refused here already, so that the config says what the proxy will do.
 */
final class AllowedHost {

  static final int MAX_NAME_LENGTH = 253;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final String EXAMPLE = "host:port such as pkgs.example:443, *.cdn.example:443 or"
      + " 203.0.113.7:8080";
  /** Address ranges no sandbox may reach. */
  private static final List<Range> REFUSED = List.of(
      new Range("0.0.0.0", 8, "'this network'"),
      new Range("10.0.0.0", 8, "private"),
      new Range("100.64.0.0", 10, "shared (carrier-grade NAT)"),
      new Range("127.0.0.0", 8, "loopback"),
      new Range("169.254.0.0", 16, "link-local (cloud metadata)"),
      new Range("172.16.0.0", 12, "private"),
      new Range("192.168.0.0", 16, "private"),
      new Range("224.0.0.0", 4, "multicast"),
      new Range("240.0.0.0", 4, "reserved or broadcast"));

  /** An IPv4 range: {@code base/prefix}, and what sort of addresses it holds. */
  private record Range(String base, int prefix, String what) {

    boolean contains(long address) {
      return address >>> (32 - prefix) == toLong(base) >>> (32 - prefix);
    }
  }

  private AllowedHost() {}

  /** The entry as {@code host:port}, host in lower case; or null, with the problem reported. */
  static String check(Issues issues, String path, Object value) {
    if (value == null) {
      issues.add(path, "type", "must be " + EXAMPLE + ", got nothing (null)");
      return null;
    }
    String text = Values.string(issues, path, value);
    if (text == null) {
      return null;
    }
    if (text.length() > MAX_NAME_LENGTH + 8) {
      issues.add(path, "range", "must be at most " + (MAX_NAME_LENGTH + 8) + " characters, got "
          + text.length());
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        issues.add(path, "format", "must be " + EXAMPLE + " without spaces or control characters,"
            + " got " + Shown.value(text));
        return null;
      }
    }
    if (text.contains("://")) {
      issues.add(path, "format", "must be " + EXAMPLE + ", without a scheme such as https://; got "
          + Shown.value(text));
      return null;
    }
    if (text.indexOf('/') >= 0) {
      issues.add(path, "format", "must be " + EXAMPLE + ", without a path: the proxy allows a"
          + " destination, not a URL; got " + Shown.value(text));
      return null;
    }
    if (text.indexOf('@') >= 0) {
      issues.add(path, "format", "must be " + EXAMPLE + ", without user info (user@); credentials"
          + " belong in credentials.env; got " + Shown.value(text));
      return null;
    }
    if (text.startsWith("[") || text.indexOf(':') != text.lastIndexOf(':')) {
      issues.add(path, "unsupported", "IPv6 addresses are not supported; name the host by its DNS"
          + " name or an IPv4 address, got " + Shown.value(text));
      return null;
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      issues.add(path, "format", "needs a port: write " + EXAMPLE + ", got " + Shown.value(text));
      return null;
    }
    Integer port = port(issues, path, text, text.substring(colon + 1));
    String host = host(issues, path, text, text.substring(0, colon).toLowerCase(Locale.ROOT));
    if (port == null || host == null) {
      return null;
    }
    return host + ":" + port;
  }

  private static Integer port(Issues issues, String path, String text, String port) {
    if (!PORT.matcher(port).matches()) {
      issues.add(path, "format", "must end in a port number 1 to 65535: write " + EXAMPLE + ", got "
          + Shown.value(text));
      return null;
    }
    int number = Integer.parseInt(port);
    if (number < 1 || number > 65_535) {
      issues.add(path, "range", "port must be between 1 and 65535, got " + number);
      return null;
    }
    return number;
  }

  private static String host(Issues issues, String path, String text, String host) {
    if (host.isEmpty()) {
      issues.add(path, "format", "needs a host before the port: write " + EXAMPLE + ", got "
          + Shown.value(text));
      return null;
    }
    if (IPV4.matcher(host).matches()) {
      return ipv4(issues, path, text, host);
    }
    boolean wildcard = host.startsWith("*.");
    String name = wildcard ? host.substring(2) : host;
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      issues.add(path, "forbidden", Shown.value(text) + " is the sandbox's own loopback, never"
          + " reachable through the egress proxy; list only outside hosts");
      return null;
    }
    if (name.indexOf('*') >= 0) {
      issues.add(path, "format", "may use '*' only as a whole first label, as in"
          + " *.example.org:443 (every name under example.org), got " + Shown.value(text));
      return null;
    }
    if (host.length() > MAX_NAME_LENGTH) {
      issues.add(path, "range", "host names are at most " + MAX_NAME_LENGTH + " characters, got "
          + host.length());
      return null;
    }
    String[] labels = name.split("\\.", -1);
    if (wildcard && labels.length < 2) {
      issues.add(path, "format", "a wildcard needs at least two labels after '*.', as in"
          + " *.example.org:443, got " + Shown.value(text));
      return null;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        issues.add(path, "format", "host must be a DNS name of dot-separated labels, each 1 to 63"
            + " letters, digits or '-' not starting or ending with '-' (or an IPv4 address), got "
            + Shown.value(text));
        return null;
      }
    }
    if (!Character.isLetter(labels[labels.length - 1].charAt(0))) {
      // A numeric last label is no DNS name: resolvers read 127.1 or 2130706433 as an address.
      issues.add(path, "format", "host must be a DNS name whose last label starts with a letter,"
          + " or a complete IPv4 address such as 203.0.113.7, got " + Shown.value(text));
      return null;
    }
    return host;
  }

  private static String ipv4(Issues issues, String path, String text, String host) {
    for (String octet : host.split("\\.")) {
      if (!OCTET.matcher(octet).matches() || Integer.parseInt(octet) > 255) {
        issues.add(path, "format", "an IPv4 address must be four numbers 0 to 255 without leading"
            + " zeros, got " + Shown.value(text));
        return null;
      }
    }
    long address = toLong(host);
    for (Range range : REFUSED) {
      if (range.contains(address)) {
        issues.add(path, "forbidden", host + " is a " + range.what() + " address (" + range.base()
            + "/" + range.prefix() + "); the egress proxy never connects to private, loopback,"
            + " link-local or metadata addresses");
        return null;
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
