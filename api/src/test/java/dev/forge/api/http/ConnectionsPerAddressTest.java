package dev.forge.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionsPerAddressTest {

  @Test
  void shouldRefuseAConnectionBeyondTheLimitOfItsAddressOnly() {
    ConnectionsPerAddress<String> limits = new ConnectionsPerAddress<>(2);

    assertThat(limits.acquire("c1", "10.0.0.1")).isTrue();
    assertThat(limits.acquire("c2", "10.0.0.1")).isTrue();

    assertThat(limits.acquire("c3", "10.0.0.1")).isFalse();
    assertThat(limits.acquire("d1", "10.0.0.2")).as("another address").isTrue();
    assertThat(limits.openFrom("10.0.0.1")).isEqualTo(2);
  }

  @Test
  void shouldTakeAConnectionAgainOnceOneIsReleasedAndIgnoreASecondRelease() {
    ConnectionsPerAddress<String> limits = new ConnectionsPerAddress<>(1);
    limits.acquire("c1", "10.0.0.1");

    limits.release("c1");
    limits.release("c1");
    limits.release("never-acquired");

    assertThat(limits.openFrom("10.0.0.1")).isZero();
    assertThat(limits.acquire("c2", "10.0.0.1")).isTrue();
    assertThat(limits.acquire("c3", "10.0.0.1")).isFalse();
  }
}
