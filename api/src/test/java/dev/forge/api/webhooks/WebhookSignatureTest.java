package dev.forge.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"goal\":\"fix the bug\"}".getBytes(StandardCharsets.UTF_8);
  private static final String DELIVERY = "dlv-0001-abcd";
  private static final long T = 1_800_000_000L;

  @Test
  void shouldSignTimestampDeliveryAndBodyAsDocumented() throws Exception {
    // the same computation as the openssl example in docs/api.md: HMAC-SHA256 of "<t>.<id>.<body>"
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(
        (T + "." + DELIVERY + ".{\"goal\":\"fix the bug\"}").getBytes(StandardCharsets.UTF_8)));

    assertThat(WebhookSignature.header(SECRET, T, DELIVERY, BODY)).isEqualTo("t=" + T + ",v1=" + expected);
  }

  @Test
  void shouldVerifyAnUntouchedDelivery() {
    assertThat(WebhookSignature.verifies(signed(WebhookSignature.header(SECRET, T, DELIVERY, BODY)),
        SECRET, BODY)).isTrue();
  }

  @Test
  void shouldRejectAChangedBodyTimestampDeliveryOrSecret() {
    String header = WebhookSignature.header(SECRET, T, DELIVERY, BODY);
    byte[] changedBody = "{\"goal\":\"fix the bug!\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(WebhookSignature.verifies(signed(header), SECRET, changedBody)).isFalse();
    assertThat(WebhookSignature.verifies(
        WebhookSignature.parse(header.replace("t=" + T, "t=" + (T + 1)), DELIVERY).orElseThrow(),
        SECRET, BODY)).isFalse();
    assertThat(WebhookSignature.verifies(
        WebhookSignature.parse(header, "dlv-0002-abcd").orElseThrow(), SECRET, BODY)).isFalse();
    assertThat(WebhookSignature.verifies(signed(header),
        "another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8), BODY)).isFalse();
  }

  @Test
  void shouldAcceptAnyOfSeveralSignaturesForRotation() {
    String good = WebhookSignature.header(SECRET, T, DELIVERY, BODY);
    String header = "t=" + T + ",v1=" + "ab".repeat(32) + "," + good.substring(good.indexOf("v1="));

    assertThat(WebhookSignature.verifies(signed(header), SECRET, BODY)).isTrue();
  }

  @Test
  void shouldTreatMissingOrMalformedHeadersAsUnsigned() {
    String good = WebhookSignature.header(SECRET, T, DELIVERY, BODY);

    assertThat(WebhookSignature.parse(null, DELIVERY)).isEmpty();
    assertThat(WebhookSignature.parse(good, null)).isEmpty();
    assertThat(WebhookSignature.parse(good, "short")).isEmpty();
    assertThat(WebhookSignature.parse(good, "has space in it")).isEmpty();
    assertThat(WebhookSignature.parse(good, "x".repeat(129))).isEmpty();
    assertThat(WebhookSignature.parse("v1=" + "ab".repeat(32), DELIVERY)).as("no timestamp").isEmpty();
    assertThat(WebhookSignature.parse("t=" + T, DELIVERY)).as("no signature").isEmpty();
    assertThat(WebhookSignature.parse("t=" + T + ",v1=abc", DELIVERY)).as("short hex").isEmpty();
    assertThat(WebhookSignature.parse("t=-5,v1=" + "ab".repeat(32), DELIVERY)).isEmpty();
    assertThat(WebhookSignature.parse("sha256=" + "ab".repeat(32), DELIVERY)).isEmpty();
    assertThat(WebhookSignature.parse(good + ",v1=" + "cd".repeat(32) + ",v1=" + "cd".repeat(32)
        + ",v1=" + "cd".repeat(32) + ",v1=" + "cd".repeat(32), DELIVERY)).as("too many").isEmpty();
    assertThat(WebhookSignature.parse(good + "," + "x".repeat(1100), DELIVERY)).isEmpty();
    assertThat(WebhookSignature.parse(good + ",v2=whatever", DELIVERY)).as("later schemes ignored")
        .isPresent();
  }

  @Test
  void shouldAcceptTimestampsWithinTheToleranceEitherWay() {
    Instant now = Instant.ofEpochSecond(T);
    Duration five = Duration.ofMinutes(5);

    assertThat(WebhookSignature.fresh(T, now, five)).isTrue();
    assertThat(WebhookSignature.fresh(T - 300, now, five)).isTrue();
    assertThat(WebhookSignature.fresh(T + 300, now, five)).isTrue();
    assertThat(WebhookSignature.fresh(T - 301, now, five)).as("too old").isFalse();
    assertThat(WebhookSignature.fresh(T + 301, now, five)).as("too far in the future").isFalse();
    assertThat(WebhookSignature.fresh(0, now, five)).isFalse();
  }

  private static WebhookSignature.Signed signed(String header) {
    Optional<WebhookSignature.Signed> signed = WebhookSignature.parse(header, DELIVERY);
    assertThat(signed).isPresent();
    return signed.get();
  }
}
