package dev.forge.activities.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SquidConfigTest {

  private static List<String> lines(String config) {
    return Arrays.asList(config.split("\n"));
  }

  private static List<String> httpAccess(String config) {
    return lines(config).stream().filter(l -> l.startsWith("http_access ")).toList();
  }

  @Test
  void shouldAllowEachPairOnlyAfterRefusingPrivateAndHostAddresses() {
    String config =
        SquidConfig.of(
                List.of("upstream.forge.test:80", "pkgs.example:443"),
                List.of("198.51.100.1"),
                List.of("172.18.0.0/16"))
            .render();

    assertThat(lines(config))
        .contains(
            "acl forge_allow_1_host dstdomain -n upstream.forge.test",
            "acl forge_allow_1_port port 80",
            "acl forge_allow_2_host dstdomain -n pkgs.example",
            "acl forge_allow_2_port port 443",
            "acl forge_docker_host dst 198.51.100.1",
            "acl forge_clients src 172.18.0.0/16");
    assertThat(httpAccess(config))
        .containsExactly(
            "http_access deny manager",
            "http_access deny !forge_clients",
            "http_access deny forge_allow_1_host forge_allow_1_port forge_refused_dst",
            "http_access deny forge_allow_1_host forge_allow_1_port forge_docker_host",
            "http_access allow forge_allow_1_host forge_allow_1_port",
            "http_access deny forge_allow_2_host forge_allow_2_port forge_refused_dst",
            "http_access deny forge_allow_2_host forge_allow_2_port forge_docker_host",
            "http_access allow forge_allow_2_host forge_allow_2_port",
            "http_access deny all");
  }

  @Test
  void shouldCheckAddressesOnlyForAllowlistedPairsSoThatOtherNamesAreNeverResolved() {
    // dst needs DNS; every line that uses it must first match a (DNS-free) allowlist pair.
    String config =
        SquidConfig.of(List.of("a.example:80"), List.of("203.0.113.9"), List.of()).render();

    for (String line : httpAccess(config)) {
      if (line.contains("forge_refused_dst") || line.contains("forge_docker_host")) {
        assertThat(line).startsWith("http_access deny forge_allow_");
      }
    }
    assertThat(config).doesNotContain("dstdomain forge", "dstdomain .", "dst_as", "srcdomain");
    assertThat(lines(config).stream().filter(l -> l.contains("dstdomain")))
        .allMatch(l -> l.contains(" dstdomain -n "));
  }

  @Test
  void shouldMatchWildcardSubdomainsButNotTheApex() {
    String config = SquidConfig.of(List.of("*.example.org:443"), List.of(), List.of()).render();

    assertThat(lines(config))
        .contains(
            "acl forge_allow_1_host dstdomain -n .example.org",
            "acl forge_allow_1_apex dstdomain -n example.org",
            "http_access allow forge_allow_1_host !forge_allow_1_apex forge_allow_1_port");
  }

  @Test
  void shouldMatchIpv4EntriesAsWrittenAndStillRefuseTheirAddress() {
    String config = SquidConfig.of(List.of("203.0.113.7:8080"), List.of(), List.of()).render();

    assertThat(lines(config))
        .contains(
            "acl forge_allow_1_host dstdomain -n 203.0.113.7",
            "http_access deny forge_allow_1_host forge_allow_1_port forge_refused_dst");
  }

  @Test
  void shouldRefuseEverythingWithAnEmptyAllowlist() {
    String config = SquidConfig.of(List.of(), List.of(), List.of()).render();

    assertThat(httpAccess(config))
        .containsExactly("http_access deny manager", "http_access deny all");
    assertThat(config).doesNotContain("http_access allow");
  }

  @Test
  void shouldForwardOnlyTheModelPortToTheGatewayWithTheStepsToken() {
    String token = "t0ken-of-one-step_abcdefgh";
    SquidConfig squid = SquidConfig.of(List.of(), List.of("172.20.0.1"), List.of("10.9.0.0/24"))
        .withModelRoute(new ModelRoute("172.20.0.1", 41234, token));

    String config = squid.render();

    assertThat(config)
        .contains("http_port " + SquidConfig.MODEL_PORT + " accel")
        .contains("cache_peer 172.20.0.1 parent 41234 0 no-query")
        .contains("cache_peer_access forge_gateway allow forge_model")
        .contains("cache_peer_access forge_gateway deny all")
        .contains("never_direct allow forge_model")
        .contains("request_header_add " + ModelRoute.TOKEN_HEADER + " \"" + token
            + "\" forge_model")
        .contains("access_log stdio:/dev/stdout forge !forge_model");
    // clients outside the step's network are refused first, CONNECT never reaches the gateway,
    // and the forward port still refuses everything (the allowlist is empty)
    assertThat(httpAccess(config)).containsExactly("http_access deny manager",
        "http_access deny !forge_clients", "http_access deny forge_model forge_connect",
        "http_access allow forge_model", "http_access deny all");
  }

  @Test
  void shouldRefuseARouteThatCouldInjectConfiguration() {
    assertThatThrownBy(() -> new ModelRoute("172.20.0.1", 41234, "abc\" \nhttp_access allow all"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModelRoute("172.20.0.0/16", 41234, "t".repeat(20)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ModelRoute("172.20.0.1", 1, "t".repeat(20)).toString())
        .doesNotContain("tttt");
  }

  @Test
  void shouldEndWithDenyAllAndNeverAllowAll() {
    String config =
        SquidConfig.of(List.of("a.example:80", "*.b.example:443"), List.of(), List.of()).render();

    List<String> access = httpAccess(config);
    assertThat(access.get(access.size() - 1)).isEqualTo("http_access deny all");
    assertThat(access).noneMatch(l -> l.equals("http_access allow all"));
    assertThat(access.get(0)).isEqualTo("http_access deny manager");
  }

  @Test
  void shouldRefusePrivateLoopbackLinkLocalAndMetadataRanges() {
    String config = SquidConfig.of(List.of(), List.of(), List.of()).render();

    String refused =
        lines(config).stream()
            .filter(l -> l.startsWith("acl forge_refused_dst dst "))
            .findFirst()
            .orElseThrow();
    assertThat(refused.split(" "))
        .contains(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::1/128",
            "fc00::/7",
            "fe80::/10")
        // Squid stores IPv4 as mapped IPv6: this range would refuse every IPv4 address.
        .doesNotContain("::ffff:0:0/96");
    assertThat(Cidr.parse("169.254.0.0/16").contains(Cidr.parse("169.254.169.254").network()))
        .isTrue();
  }

  @Test
  void shouldKeepNoCacheNoSideChannelsAndTheLogFormat() {
    String config = SquidConfig.of(List.of(), List.of(), List.of()).render();

    assertThat(lines(config))
        .contains(
            "http_port 3128",
            "cache deny all",
            "via off",
            "forwarded_for delete",
            "icp_port 0",
            "htcp_port 0",
            "pinger_enable off",
            "pid_filename none",
            "connect_timeout 10 seconds",
            "negative_dns_ttl 30 seconds",
            "udp_outgoing_address 127.0.0.1",
            "access_log stdio:/dev/stdout forge",
            "cache_log /dev/stderr",
            "logformat forge FORGE_EGRESS %ts.%03tu %>a %rm %>rd %>rP %>Hs %Ss %<a")
        .noneMatch(l -> l.startsWith("cache_dir"))
        .noneMatch(l -> l.startsWith("dns_v4_first")); // obsolete in Squid 5: an error there
  }

  @Test
  void shouldLeaveOutHostAddressesTheFixedRangesHoldAndDropZones() {
    SquidConfig config =
        SquidConfig.of(
            List.of(),
            List.of(
                "127.0.0.1", "172.17.0.1", "192.0.2.2", "fe80::1%eth0", "2001:db8::5", "192.0.2.2"),
            List.of());

    assertThat(config.hostAddresses()).containsExactly("192.0.2.2", "2001:db8:0:0:0:0:0:5");
  }

  @Test
  void shouldDropDuplicateEntries() {
    assertThat(
            SquidConfig.of(
                    List.of("a.example:80", "a.example:80", "a.example:81"), List.of(), List.of())
                .allowedHosts())
        .containsExactly("a.example:80", "a.example:81");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "example.org",
        "example.org:",
        ":443",
        "Example.org:443",
        "https://example.org:443",
        "example.org:443/path",
        "user@example.org:443",
        "example.org:0",
        "example.org:65536",
        "example.org:0443",
        "example.org:44a",
        "example.org :443",
        "example.org:443 ",
        "example.org:443\nhttp_access allow all",
        "example.org\nhttp_access allow all\n:443",
        "example.org:443#",
        "exa mple.org:443",
        "exam_ple.org:443",
        "-example.org:443",
        "example-.org:443",
        "example..org:443",
        ".example.org:443",
        "example.org.:443",
        "*.org:443",
        "*:443",
        "*.*.example.org:443",
        "foo.*.example.org:443",
        "a*.example.org:443",
        "1.2.3:80",
        "2130706433:80",
        "256.1.1.1:80",
        "01.2.3.4:80",
        "1.2.3.4.5:80",
        "[::1]:80",
        "::1:80",
        "example.org:443:443",
        "exämple.org:443",
        "example.org:４４３",
      })
  void shouldRefuseAnythingButANormalisedEntry(String entry) {
    assertThatThrownBy(() -> SquidConfig.of(List.of(entry), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowlist entry");
  }

  @Test
  void shouldRefuseOverlongNamesAndLabels() {
    String label64 = "a".repeat(64);
    assertThatThrownBy(() -> SquidConfig.of(List.of(label64 + ".example:80"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    String longName = ("a".repeat(60) + ".").repeat(5) + "example";
    assertThatThrownBy(() -> SquidConfig.of(List.of(longName + ":80"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    String fine = "a".repeat(63) + ".example";
    assertThat(SquidConfig.of(List.of(fine + ":80"), List.of(), List.of()).allowedHosts())
        .containsExactly(fine + ":80");
  }

  @Test
  void shouldShowControlCharactersEscapedInTheMessage() {
    assertThatThrownBy(() -> SquidConfig.of(List.of("a.org:1\nacl x"), List.of(), List.of()))
        .hasMessageContaining("'a.org:1\\nacl x'");
  }

  @Test
  void shouldRefuseNullEntries() {
    assertThatThrownBy(() -> SquidConfig.of(Arrays.asList((String) null), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.org",
        "203.0.113.7\nhttp_access allow all",
        "203.0.113.7 10.0.0.1",
        "203.0.113",
        "203.0.113.7/33",
        "203.0.113.7/",
        "203.0.113.7/08",
        "::g",
        "1:2:3",
        "dead:beef:zz",
        ""
      })
  void shouldRefuseAnythingButAddressLiterals(String address) {
    assertThatThrownBy(() -> SquidConfig.of(List.of(), List.of(address), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SquidConfig.of(List.of(), List.of(), List.of(address)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAcceptTheEntriesTheSpecShows() {
    assertThat(
            SquidConfig.of(
                    List.of(
                        "packages.example.org:443",
                        "*.example.org:443",
                        "203.0.113.7:8080",
                        "a.b-c.d9.io:1",
                        "x1.example:65535"),
                    List.of(),
                    List.of())
                .allowedHosts())
        .containsExactly(
            "packages.example.org:443",
            "*.example.org:443",
            "203.0.113.7:8080",
            "a.b-c.d9.io:1",
            "x1.example:65535");
  }
}
