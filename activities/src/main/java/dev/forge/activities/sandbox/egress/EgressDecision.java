package dev.forge.activities.sandbox.egress;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request the egress proxy decided on, read back from its access log.
 *
 * @param timestamp when Squid logged it (when the request or tunnel ended)
 * @param method {@code CONNECT}, {@code GET}, ... as the sandbox sent it ({@code NONE} when Squid
 *     could not parse the request)
 * @param destination {@code host:port} as Squid understood the request: host names in lower case,
 *     IP addresses normalised (so {@code 2130706433} shows as {@code 127.0.0.1}); {@code -} when
 *     there was none
 * @param allowed whether the proxy let the request through; false for refusals ({@code TCP_DENIED})
 *     and for requests Squid could not parse
 * @param resultCode Squid's result code: {@code TCP_TUNNEL} (CONNECT), {@code TCP_MISS} (plain
 *     HTTP), {@code TCP_DENIED}, {@code NONE_NONE}, ...
 * @param httpStatus the status the proxy answered with (403 for a refusal; 0 when none was sent)
 * @param serverIp the address the proxy connected to, or {@code null} when it connected nowhere
 */
public record EgressDecision(
    Instant timestamp,
    String method,
    String destination,
    boolean allowed,
    String resultCode,
    int httpStatus,
    String serverIp) {

  private static final Pattern LINE =
      Pattern.compile(
          Pattern.quote(SquidConfig.LOG_MARKER)
              + " (?<seconds>[0-9]{1,12})\\.(?<millis>[0-9]{3})"
              + " (?<client>[0-9a-fA-F:.]+|-)"
              + " (?<method>[A-Za-z0-9_.-]{1,32})"
              + " (?<host>[^\\s]{1,300})"
              + " (?<port>[0-9]{1,5}|-)"
              + " (?<status>[0-9]{1,3}|-)"
              + " (?<result>[A-Z0-9_]{1,64})"
              + " (?<server>[0-9a-fA-F:.]+|-)");

  /**
   * Parses one line of the proxy's access log.
   *
   * @return the decision, or empty for a line that is not an access log line in Forge's format
   */
  public static Optional<EgressDecision> parse(String line) {
    if (line == null) {
      return Optional.empty();
    }
    Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    Instant timestamp =
        Instant.ofEpochSecond(
            Long.parseLong(m.group("seconds")), Long.parseLong(m.group("millis")) * 1_000_000L);
    String host = m.group("host");
    String port = m.group("port");
    String destination = "-".equals(port) ? host : host + ":" + port;
    String result = m.group("result");
    String status = m.group("status");
    String server = m.group("server");
    return Optional.of(
        new EgressDecision(
            timestamp,
            m.group("method"),
            destination,
            allowed(result),
            result,
            "-".equals(status) ? 0 : Integer.parseInt(status),
            "-".equals(server) ? null : server));
  }

  /** Squid let a request through when it forwarded or tunnelled it, whatever came back. */
  private static boolean allowed(String resultCode) {
    return resultCode.startsWith("TCP_")
        && !resultCode.contains("DENIED")
        && !resultCode.equals("TCP_NONE");
  }
}
