package dev.forge.api.stepup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** TOTP codes, base32 and the sealing of secrets at rest. */
class TotpCodesTest {

  /** RFC 6238 appendix B: the SHA-1 seed, whose 8-digit codes end in these 6 digits. */
  private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  private final TotpCodes codes = new TotpCodes();

  @Test
  void shouldComputeTheRfc6238TestVectors() {
    assertThat(codes.code(RFC_SEED, TotpCodes.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
    assertThat(codes.code(RFC_SEED, TotpCodes.step(Instant.ofEpochSecond(1111111109))))
        .isEqualTo("081804");
    assertThat(codes.code(RFC_SEED, TotpCodes.step(Instant.ofEpochSecond(2000000000))))
        .isEqualTo("279037");
  }

  @Test
  void shouldAcceptOneStepOfSkewEitherSideAndNothingFurther() {
    Instant now = Instant.ofEpochSecond(1_800_000_000L);
    long step = TotpCodes.step(now);

    assertThat(codes.matchingStep(RFC_SEED, codes.code(RFC_SEED, step), now)).isEqualTo(step);
    assertThat(codes.matchingStep(RFC_SEED, codes.code(RFC_SEED, step - 1), now)).isEqualTo(step - 1);
    assertThat(codes.matchingStep(RFC_SEED, codes.code(RFC_SEED, step + 1), now)).isEqualTo(step + 1);
    assertThat(codes.matchingStep(RFC_SEED, codes.code(RFC_SEED, step - 2), now)).isEqualTo(-1);
    assertThat(codes.matchingStep(RFC_SEED, codes.code(RFC_SEED, step + 2), now)).isEqualTo(-1);
  }

  @Test
  void shouldEncodeBase32AsRfc4648WithoutPadding() {
    assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    assertThat(Base32.decode("MZXW6YTBOI")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    assertThat(Base32.decode(Base32.encode(RFC_SEED))).isEqualTo(RFC_SEED);
  }

  @Test
  void shouldSealSecretsSoThatOnlyTheKeyAndTheSameUserOpenThem() {
    SecretBox box = new SecretBox(new byte[32]);
    byte[] sealed = box.seal(RFC_SEED, "lead");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("1234567890");
    assertThat(box.open(sealed, "lead")).isEqualTo(RFC_SEED);
    assertThat(box.seal(RFC_SEED, "lead")).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThatThrownBy(() -> box.open(sealed, "mallory")).hasMessageContaining("does not decrypt");
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThatThrownBy(() -> new SecretBox(otherKey).open(sealed, "lead"))
        .hasMessageContaining("does not decrypt");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "lead")).hasMessageContaining("does not decrypt");
  }

  @Test
  void shouldShowTheSecretInTheOtpauthUriButNeverInToString() {
    StepUp.Enrolment enrolment = new StepUp.Enrolment("lead", "MZXW6YTBOI");

    assertThat(enrolment.otpauthUri("Forge")).isEqualTo(
        "otpauth://totp/Forge%3Alead?secret=MZXW6YTBOI&issuer=Forge&algorithm=SHA1&digits=6&period=30");
    assertThat(enrolment.toString()).doesNotContain("MZXW6YTBOI");
  }
}
