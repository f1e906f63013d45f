package dev.forge.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

  @Test
  void shouldKeyIpv4ByTheAddressAndIpv6ByItsSlash64() {
    assertThat(ClientAddress.key("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.key("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.key("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        .isEqualTo(ClientAddress.key("2001:0db8:0001:0002:0:0:0:1"));
    assertThat(ClientAddress.key("2001:db8:1:3::1")).isNotEqualTo(ClientAddress.key("2001:db8:1:2::1"));
  }
}
