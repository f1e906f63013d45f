package dev.forge.spec.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.spec.RuleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationTest {

  @Test
  void shouldNormaliseWhatAPersonWritesAndKeepTheKind() {
    assertThat(Destination.parse("PKGS.Example:443"))
        .isEqualTo(new Destination("pkgs.example", 443, Destination.Kind.NAME));
    assertThat(Destination.parse("*.cdn.example:443").entry()).isEqualTo("*.cdn.example:443");
    assertThat(Destination.parse("*.cdn.example:443").host()).isEqualTo("cdn.example");
    assertThat(Destination.parse("203.0.113.7:8080").kind()).isEqualTo(Destination.Kind.IPV4);
  }

  @ParameterizedTest
  @CsvSource({
    "https://a.example:443,format",
    "a.example:443/path,format",
    "user@a.example:443,format",
    "[::1]:443,unsupported",
    "a.example,format",
    "a.example:0,range",
    "a.example:65536,range",
    "localhost:80,forbidden",
    "a.*.example:80,format",
    "*.org:443,format",
    "127.1:80,format",
    "01.2.3.4:80,format",
    "10.0.0.1:80,forbidden",
    "169.254.169.254:80,forbidden",
    // Also refused by the egress proxy's dst ACL, so refused here since there is one list.
    "192.0.0.8:80,forbidden",
    "198.18.0.1:80,forbidden"
  })
  void shouldRefuseEachBrokenRuleByName(String entry, String rule) {
    assertThatThrownBy(() -> Destination.parse(entry))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.rule()).isEqualTo(rule));
  }

  @Test
  void shouldAcceptOnlyTheNormalisedFormWhereASquidConfigIsWritten() {
    assertThat(Destination.parseNormalised("pkgs.example:443").entry())
        .isEqualTo("pkgs.example:443");
    assertThatThrownBy(() -> Destination.parseNormalised("PKGS.example:443"))
        .isInstanceOf(RuleException.class).hasMessageContaining("write it as pkgs.example:443");
    assertThatThrownBy(() -> Destination.parseNormalised("a.org:1\nacl x"))
        .isInstanceOf(RuleException.class).hasMessageContaining("allowlist entry");
    // The proxy's dst ACL refuses these ranges itself, and is tested with such entries.
    assertThat(Destination.parseNormalised("169.254.169.254:80").kind())
        .isEqualTo(Destination.Kind.IPV4);
  }

  @Test
  void shouldHoldEveryRefusedRangeOnceWithIpv6Too() {
    assertThat(Destination.REFUSED_RANGES).extracting(Destination.Range::cidr)
        .doesNotHaveDuplicates()
        .contains("169.254.0.0/16", "10.0.0.0/8", "fc00::/7", "::1/128");
  }
}
