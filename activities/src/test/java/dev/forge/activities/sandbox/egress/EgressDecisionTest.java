package dev.forge.activities.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EgressDecisionTest {

  @Test
  void shouldReadATunnel() {
    assertThat(
            EgressDecision.parse(
                "FORGE_EGRESS 1795221732.597 172.18.0.3 CONNECT upstream.forge.test 8080 200"
                    + " TCP_TUNNEL 198.51.100.18"))
        .contains(
            new EgressDecision(
                Instant.parse("2026-11-21T00:42:12.597Z"),
                "CONNECT",
                "upstream.forge.test:8080",
                true,
                "TCP_TUNNEL",
                200,
                "198.51.100.18"));
  }

  @Test
  void shouldReadARefusal() {
    EgressDecision decision =
        EgressDecision.parse(
                "FORGE_EGRESS 1795221732.606 172.18.0.3 CONNECT 127.0.0.1 3128 403 TCP_DENIED -")
            .orElseThrow();

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.destination()).isEqualTo("127.0.0.1:3128");
    assertThat(decision.httpStatus()).isEqualTo(403);
    assertThat(decision.resultCode()).isEqualTo("TCP_DENIED");
    assertThat(decision.serverIp()).isNull();
  }

  @Test
  void shouldCountForwardedRequestsAsAllowedWhateverTheUpstreamAnswered() {
    assertThat(
            EgressDecision.parse(
                    "FORGE_EGRESS 1795221732.600 172.18.0.3 GET upstream.forge.test 8080 503"
                        + " TCP_MISS -")
                .orElseThrow()
                .allowed())
        .isTrue();
    assertThat(
            EgressDecision.parse(
                    "FORGE_EGRESS 1795221732.600 172.18.0.3 GET a.example 80 200 TCP_MISS_ABORTED"
                        + " 203.0.113.1")
                .orElseThrow()
                .allowed())
        .isTrue();
  }

  @Test
  void shouldReadRequestsSquidCouldNotParseAsNotAllowed() {
    EgressDecision decision =
        EgressDecision.parse("FORGE_EGRESS 1795221732.600 172.18.0.3 NONE - - 400 NONE_NONE -")
            .orElseThrow();

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.destination()).isEqualTo("-");
    assertThat(decision.httpStatus()).isEqualTo(400);
  }

  @Test
  void shouldKeepUrlEncodedHostsAsSquidLoggedThem() {
    assertThat(
            EgressDecision.parse(
                    "FORGE_EGRESS 1795221779.799 172.18.0.3 CONNECT %5B::1%5D 8080 403 TCP_DENIED"
                        + " -")
                .orElseThrow()
                .destination())
        .isEqualTo("%5B::1%5D:8080");
  }

  @Test
  void shouldSkipAnythingElse() {
    assertThat(EgressDecision.parse(null)).isEmpty();
    assertThat(EgressDecision.parse("")).isEmpty();
    assertThat(EgressDecision.parse("2026/11/21 00:42:08| Accepting HTTP Socket connections"))
        .isEmpty();
    assertThat(EgressDecision.parse("FORGE_EGRESS 1795221732.606 172.18.0.3 CONNECT a b c"))
        .isEmpty();
    assertThat(
            EgressDecision.parse(
                "FORGE_EGRESS 1795221732.606 172.18.0.3 CONNECT a.example 443 200 TCP_TUNNEL"
                    + " 1.2.3.4 extra"))
        .isEmpty();
    assertThat(
            EgressDecision.parse(
                "xFORGE_EGRESS 1795221732.606 172.18.0.3 CONNECT a.example 443 200 TCP_TUNNEL"
                    + " 1.2.3.4"))
        .isEmpty();
  }
}
