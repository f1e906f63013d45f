package dev.forge.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void shouldMatchOneSegmentPerStarAndAnyRestForDoubleStar() {
    assertThat(Endpoints.matches("/api/loops/*", "/api/loops/loop-0123456789")).isTrue();
    assertThat(Endpoints.matches("/api/loops/*", "/api/loops/")).isFalse();
    assertThat(Endpoints.matches("/api/loops/*", "/api/loops/a/b")).isFalse();
    assertThat(Endpoints.matches("/api/loops/*/gates/*/approve", "/api/loops/l/gates/g/approve")).isTrue();
    assertThat(Endpoints.matches("/actuator/health/**", "/actuator/health/db")).isTrue();
    assertThat(Endpoints.matches("/actuator/health/**", "/actuator/healthz")).isFalse();
  }

  @Test
  void shouldGiveEveryEndpointAtMostOneEntryAndEveryNonPublicOneARole() {
    assertThat(Endpoints.ALL).extracting(e -> e.method() + " " + e.pattern()).doesNotHaveDuplicates();
    // Public: the health check, and the webhook endpoint, which authenticates by signature.
    assertThat(Endpoints.ALL).filteredOn(e -> !e.pattern().startsWith("/actuator/health") && !e.signed())
        .allSatisfy(e -> assertThat(e.roles()).isNotEmpty());
    assertThat(Endpoints.ALL).filteredOn(Endpoint::signed)
        .extracting(e -> e.method() + " " + e.pattern()).containsExactly("POST /api/webhooks/*");
    assertThat(Endpoints.find("POST", "/api/loops/l/cancel")).get()
        .satisfies(e -> assertThat(e.roleNames()).isEqualTo("engineer or approver"));
    assertThat(Endpoints.find("DELETE", "/api/loops/l")).isEmpty();
  }

  @Test
  void shouldSayWhichRoleWasMissing() {
    assertThat(SecurityConfiguration.deniedBecause("POST", "/api/tokens"))
        .isEqualTo("creating a token needs the admin role, which your token does not have");
    assertThat(SecurityConfiguration.deniedBecause("POST", "/api/loops/l/gates/g/approve"))
        .contains("needs the approver role").contains("an engineer cannot approve gates");
    assertThat(SecurityConfiguration.deniedBecause("GET", "/actuator/env"))
        .startsWith("no API token may call GET /actuator/env");
  }
}
