package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static dev.forge.spec.config.ConfigFixtures.parseYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.sandbox.NetworkMode;
import dev.forge.spec.sandbox.SandboxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code sandbox.network}: its mode and its egress allowlist. */
class NetworkRulesTest {

  private static final String ALLOWED = "sandbox.network.allowed";
  private static final String ENTRY = ALLOWED + "[0]";

  /** The minimal config with mode restricted and {@code entries} allowed. */
  private static Map<String, Object> restricted(Object... entries) {
    return minimalWith("sandbox.network", map("mode", "restricted", "allowed", list(entries)));
  }

  private static SandboxConfig sandbox(Map<String, Object> tree) {
    return parse(tree).config().sandbox();
  }

  /** The single error of a restricted network allowing only {@code entry}. */
  private static Refusal entryError(String entry, String rule) {
    return onlyError(restricted(entry), ENTRY, rule);
  }

  @Test
  void shouldDefaultToNoNetwork() {
    SandboxConfig sandbox = sandbox(minimal());

    assertThat(sandbox.network()).isEqualTo(NetworkMode.NONE);
    assertThat(sandbox.allowedHosts()).isEmpty();
  }

  @Test
  void shouldAcceptNetworkNoneWithAnEmptyAllowlist() {
    SandboxConfig sandbox = sandbox(minimalWith("sandbox.network", map("mode", "none", "allowed",
        list())));

    assertThat(sandbox.network()).isEqualTo(NetworkMode.NONE);
    assertThat(sandbox.allowedHosts()).isEmpty();
  }

  @Test
  void shouldReadARestrictedNetworkWithItsAllowlistNormalised() {
    SandboxConfig sandbox = sandbox(restricted("Pkgs.Example:443", "*.Cdn.Example:443",
        "203.0.113.7:8080", "registry.example.net:0443"));

    assertThat(sandbox.network()).isEqualTo(NetworkMode.RESTRICTED);
    assertThat(sandbox.allowedHosts()).containsExactly("pkgs.example:443", "*.cdn.example:443",
        "203.0.113.7:8080", "registry.example.net:443");
  }

  @Test
  void shouldReadARestrictedNetworkFromYaml() {
    String yaml = ConfigFixtures.MINIMAL_YAML + """
          network:
            mode: restricted
            allowed: ["api.anthropic.com:443", "*.githubusercontent.com:443"]
        """;

    assertThat(parseYaml(yaml).config().sandbox().allowedHosts())
        .containsExactly("api.anthropic.com:443", "*.githubusercontent.com:443");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pkgs.example:443", "a.b:1", "x:65535", "intranet-mirror:8080",
      "xn--bcher-kva.example:443", "1password.com:443", "s3.eu-west-1.amazonaws.com:443",
      "*.example.org:443", "*.a.b.c.example.org:8443", "8.8.8.8:53", "11.0.0.1:443",
      "172.15.255.255:443", "172.32.0.1:443", "100.63.255.255:443", "100.128.0.1:443",
      "169.253.0.1:443", "192.169.0.1:443", "223.255.255.255:443", "1.0.0.0:80"})
  void shouldAcceptHostsAndAddresses(String entry) {
    assertThat(sandbox(restricted(entry)).allowedHosts()).containsExactly(entry);
  }

  @Test
  void shouldAcceptLabelsAndNamesUpToTheirLimits() {
    String label = "a".repeat(63);
    String name = String.join(".", label, label, label, "b".repeat(61));

    assertThat(name).hasSize(253);
    assertThat(sandbox(restricted(name + ":443")).allowedHosts()).containsExactly(name + ":443");
    assertThat(entryError("a".repeat(64) + ".org:443", "format").detail())
        .contains("each 1 to 63");
    assertThat(entryError(name + "b:443", "range").detail()).contains("at most 253");
  }

  @Test
  void shouldRequireAnAllowlistWithRestricted() {
    Refusal error = onlyError(minimalWith("sandbox.network", map("mode", "restricted")),
        ALLOWED, "required");

    assertThat(error.detail()).contains("with network mode restricted").contains("pkgs.example:443");
    onlyError(restricted(), ALLOWED, "required");
  }

  @Test
  void shouldRefuseAnAllowlistWithoutRestrictedNetwork() {
    assertThat(errorFor(ALLOWED, list("example.org:443"), "conflict").detail())
        .contains("must be empty with network mode none").contains("mode: restricted");
    onlyError(minimalWith("sandbox.network", map("mode", "none", "allowed",
        list("example.org:443"))), ALLOWED, "conflict");
  }

  @Test
  void shouldRefuseOtherNetworkModes() {
    assertThat(errorFor("sandbox.network.mode", "host", "format").detail())
        .isEqualTo("must be none or restricted, got 'host'");
    errorFor("sandbox.network.mode", "Restricted", "format");
    errorFor("sandbox.network.mode", false, "type");
    errorFor("sandbox.network", "none", "type");
  }

  @Test
  void shouldRefuseAnAllowlistThatIsNotAListOfStrings() {
    errorFor(ALLOWED, "example.org:443", "type");
    errorFor(ALLOWED, map("host", "example.org"), "type");
    entryError(null, "type");
    onlyError(restricted(443), ENTRY, "type");
    onlyError(restricted(map("host", "pkgs.example", "port", 443)), ENTRY, "type");
  }

  @Test
  void shouldAllowAtMost100Entries() {
    List<Object> entries = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      entries.add("host" + i + ".example.org:443");
    }

    assertThat(onlyError(restricted(entries.subList(0, 101).toArray()), ALLOWED, "range").detail())
        .isEqualTo("must have at most 100 items, got 101");
    assertThat(sandbox(restricted(entries.subList(0, 100).toArray())).allowedHosts()).hasSize(100);
  }

  @Test
  void shouldRefuseASchemePathOrUserInfo() {
    assertThat(entryError("https://pkgs.example:443", "format").detail()).contains("without a scheme");
    assertThat(entryError("https://pkgs.example", "format").detail()).contains("without a scheme");
    assertThat(entryError("pkgs.example:443/simple", "format").detail()).contains("without a path");
    assertThat(entryError("pkgs.example/simple", "format").detail()).contains("without a path");
    assertThat(entryError("user@pkgs.example:443", "format").detail()).contains("without user info");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pkgs.example", "pkgs.example:", ":443", "pkgs.example:https", "pkgs.example:-1",
      "pkgs.example:443 ", " pkgs.example:443", "pkgs .example:443", "pkgs.example:4\n43", "pkgs.example:123456"})
  void shouldRequireAHostAndAPortNumber(String entry) {
    entryError(entry, "format");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pkgs.example:0", "pkgs.example:65536", "pkgs.example:99999", "pkgs.example:00000"})
  void shouldRefusePortsOutOfRange(String entry) {
    assertThat(entryError(entry, "range").detail()).startsWith("port must be between 1 and 65535");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-pkgs.example:443", "pkgs-.example:443", "pk_gs.example:443", "pkgs..example:443",
      "pkgs.example.:443", ".pkgs.example:443", "pkgs.example\u00e9:443", "pkg!.example:443"})
  void shouldRefuseMalformedNames(String entry) {
    assertThat(entryError(entry, "format").detail()).contains("DNS name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.1:80", "1.2.3:80", "2130706433:80", "0x7f000001:80", "10.0.0.1.2:80",
      "example.123:443"})
  void shouldRefuseNamesThatAreReallyNumbers(String entry) {
    assertThat(entryError(entry, "format").detail()).contains("last label starts with a letter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.1.1.1:80", "1.2.3.999:80", "01.2.3.4:80", "8.8.8.08:53"})
  void shouldRefuseMalformedAddresses(String entry) {
    assertThat(entryError(entry, "format").detail()).contains("IPv4 address must be four numbers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*:443", "*.org:443", "foo.*.org:443", "*.*.example.org:443",
      "**.example.org:443", "*example.org:443", "pkgs*.example:443", "*.:443"})
  void shouldAllowAWildcardOnlyAsTheFirstLabelBeforeTwoMore(String entry) {
    assertThat(entryError(entry, "format").detail()).contains("as in *.example.org:443");
  }

  @Test
  void shouldSayWhatAWildcardNeeds() {
    assertThat(entryError("*.org:443", "format").detail())
        .contains("at least two labels after '*.'");
    assertThat(entryError("foo.*.org:443", "format").detail())
        .contains("'*' only as a whole first label");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[::1]:443", "[2001:db8::1]:443", "2001:db8::1:443", "::1:443", "[::1]"})
  void shouldSayIpv6IsNotSupported(String entry) {
    assertThat(entryError(entry, "unsupported").detail())
        .startsWith("IPv6 addresses are not supported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:8080", "LocalHost:80", "*.localhost:80", "app.localhost:3000"})
  void shouldRefuseLocalhost(String entry) {
    assertThat(entryError(entry, "forbidden").detail()).contains("loopback");
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1:80, loopback",
      "127.255.255.254:80, loopback",
      "10.1.2.3:443, private",
      "172.16.0.1:443, private",
      "172.31.255.255:443, private",
      "192.168.1.1:80, private",
      "169.254.169.254:80, link-local (cloud metadata)",
      "100.64.0.1:80, shared",
      "100.127.255.255:80, shared",
      "0.0.0.0:80, 'this network'",
      "0.1.2.3:80, 'this network'",
      "224.0.0.1:80, multicast",
      "255.255.255.255:80, broadcast"})
  void shouldRefuseAddressesTheProxyNeverReaches(String entry, String what) {
    assertThat(entryError(entry, "forbidden").detail()).contains(what)
        .contains("never connects to private, loopback, link-local or metadata addresses");
  }

  @Test
  void shouldRefuseDuplicatesAfterNormalising() {
    Refusal error = onlyError(restricted("pkgs.example:443", "files.cdn.example:443",
        "Pkgs.Example:0443"), ALLOWED + "[2]", "duplicate");

    assertThat(error.detail()).isEqualTo("repeats pkgs.example:443, already allowed by"
        + " sandbox.network.allowed[0]; list each destination once");
    assertThat(sandbox(restricted("pkgs.example:443", "pkgs.example:80", "*.pkgs.example:443"))
        .allowedHosts()).hasSize(3);
  }

  @Test
  void shouldReportEveryBadEntry() {
    assertThat(errors(restricted("ok.example.org:443", "https://x.org", "localhost:1", "x.org:0",
        "[::1]:1", "ok.example.org:443")))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(
            tuple(ALLOWED + "[1]", "format"),
            tuple(ALLOWED + "[2]", "forbidden"),
            tuple(ALLOWED + "[3]", "range"),
            tuple(ALLOWED + "[4]", "unsupported"),
            tuple(ALLOWED + "[5]", "duplicate"));
  }

  @Test
  void shouldCheckTheModeAndTheEntriesTogether() {
    assertThat(errors(minimalWith("sandbox.network", map("mode", "open", "allowed",
        list("localhost:80")))))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(
            tuple("sandbox.network.mode", "format"),
            tuple(ENTRY, "forbidden"));
  }
}
