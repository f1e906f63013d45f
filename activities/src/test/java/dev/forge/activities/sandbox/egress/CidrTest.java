package dev.forge.activities.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void shouldParseRangesAndSingleAddresses() {
    assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    assertThat(Cidr.parse("203.0.113.7").toString()).isEqualTo("203.0.113.7");
    assertThat(Cidr.parse("fc00::/7").toString()).isEqualTo("fc00:0:0:0:0:0:0:0/7");
    assertThat(Cidr.parse("::1").toString()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(Cidr.parse("fe80::1%eth0").toString()).isEqualTo("fe80:0:0:0:0:0:0:1");
  }

  @Test
  void shouldTellWhatARangeHolds() {
    Cidr metadata = Cidr.parse("169.254.0.0/16");
    assertThat(metadata.contains(Cidr.parse("169.254.169.254").network())).isTrue();
    assertThat(metadata.contains(Cidr.parse("169.255.0.1").network())).isFalse();
    assertThat(Cidr.parse("100.64.0.0/10").contains(Cidr.parse("100.127.255.255").network()))
        .isTrue();
    assertThat(Cidr.parse("100.64.0.0/10").contains(Cidr.parse("100.128.0.0").network())).isFalse();
    assertThat(Cidr.parse("fc00::/7").contains(Cidr.parse("fd12::1").network())).isTrue();
    assertThat(Cidr.parse("fc00::/7").contains(Cidr.parse("10.0.0.1").network())).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.parse("203.0.113.1").network())).isTrue();
  }

  @Test
  void shouldNeverResolveNames() {
    assertThatThrownBy(() -> Cidr.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("example.org"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("beef:dead:not:an:address"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
