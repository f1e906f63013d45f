package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A credential printed in a disguise is masked like one printed as it is. */
class RedactorFormsTest {

  /** 48 characters, like the webhook secret of issue 12. */
  static final String SECRET = "whsec-9fK2xQ7LmZ4tR8vB1nY6cD3pH5sJ0aWeUgTiOk_Xr";

  private final Redactor redactor = new Redactor(List.of(SECRET));

  @Test
  void shouldMaskAValueSpacedOutOneCharacterAtATime() {
    String spaced = String.join(" ", SECRET.split(""));

    assertThat(redactor.redact("leak: " + spaced + " done")).isEqualTo("leak: [REDACTED] done");
  }

  @Test
  void shouldMaskAValueWithAnyRunOfPunctuationAndWhiteSpaceBetweenItsCharacters() {
    StringBuilder noisy = new StringBuilder();
    String[] gaps = {"  ", ".", "\t", "-_-", ",", "\u200b", "|"};
    for (int i = 0; i < SECRET.length(); i++) {
      noisy.append(SECRET.charAt(i)).append(gaps[i % gaps.length]);
    }

    assertThat(redactor.redact(noisy.toString())).doesNotContain("9fK2").contains(Redactor.MASK);
  }

  @Test
  void shouldMaskAValueSplitAcrossLines() {
    String split = SECRET.substring(0, 20) + "\n" + SECRET.substring(20, 33) + "\r\n"
        + SECRET.substring(33);

    assertThat(redactor.redact("a\n" + split + "\nb")).isEqualTo("a\n[REDACTED]\nb");
  }

  @Test
  void shouldMaskAReversedValue() {
    String reversed = new StringBuilder(SECRET).reverse().toString();

    assertThat(redactor.redact("x " + reversed + " y")).isEqualTo("x [REDACTED] y");
  }

  @Test
  void shouldMaskAReversedAndSpacedValue() {
    String reversedSpaced =
        String.join(" ", new StringBuilder(SECRET).reverse().toString().split(""));

    assertThat(redactor.redact(reversedSpaced)).isEqualTo(Redactor.MASK);
  }

  @ParameterizedTest(name = "prefix of {0} bytes")
  @ValueSource(ints = {0, 1, 2})
  void shouldMaskABase64EncodedValueAtEachAlignment(int prefixBytes) {
    for (Base64.Encoder encoder : encoders()) {
      String encoded = encoder.encodeToString(
          ("ab".substring(0, prefixBytes) + SECRET + "\n").getBytes(StandardCharsets.UTF_8));

      String redacted = redactor.redact("echo " + encoded);

      assertThat(redacted).contains(Redactor.MASK);
      assertThat(decodesToSecret(redacted)).isFalse();
    }
  }

  @Test
  void shouldMaskBase64WrappedAcrossLinesAsBase64PrintsIt() {
    String encoded = Base64.getMimeEncoder(16, "\n".getBytes(StandardCharsets.UTF_8))
        .encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));

    // The last character also encodes the zero bits after the value: it is not part of the form.
    assertThat(redactor.redact(encoded)).matches("\\[REDACTED][A-Za-z0-9+/]?=*");
  }

  @Test
  void shouldMaskAHexEncodedValueInLowerAndUpperCase() {
    String hex = HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8));

    assertThat(redactor.redact("0x" + hex + ";")).isEqualTo("0x[REDACTED];");
    assertThat(redactor.redact(hex.toUpperCase(Locale.ROOT))).isEqualTo(Redactor.MASK);
  }

  @Test
  void shouldMaskHexPrintedInPairsLikeXxdOrOd() {
    String hex = HexFormat.ofDelimiter(" ").formatHex(SECRET.getBytes(StandardCharsets.UTF_8));

    assertThat(redactor.redact(hex)).isEqualTo(Redactor.MASK);
  }

  @Test
  void shouldMaskAFullyPercentEncodedValue() {
    StringBuilder encoded = new StringBuilder();
    for (byte b : SECRET.getBytes(StandardCharsets.UTF_8)) {
      encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
    }

    assertThat(redactor.redact("?t=" + encoded + "&x=1")).isEqualTo("?t=[REDACTED]&x=1");
  }

  @Test
  void shouldMaskAPartlyPercentEncodedValue() {
    String partly = SECRET.replace("-", "%2d").replace("K", "%4B").replace("x", "%78");

    assertThat(redactor.redact("url?k=" + partly)).isEqualTo("url?k=[REDACTED]");
    assertThat(redactor.redact(URLEncoder.encode(SECRET, StandardCharsets.UTF_8)))
        .isEqualTo(Redactor.MASK);
  }

  @Test
  void shouldMaskTheSpacedPieceOfAValueCutAtAHeadOrTailEdge() {
    String spaced = String.join(" ", SECRET.split(""));

    assertThat(redactor.redactCutStart(spaced.substring(spaced.length() - 21) + " and more"))
        .isEqualTo("[REDACTED] and more");
    assertThat(redactor.redactCutEnd("value: " + spaced.substring(0, 25)))
        .isEqualTo("value: [REDACTED]");
  }

  @Test
  void shouldMaskAShortValueOnlyVerbatim() {
    Redactor shortValue = new Redactor(List.of("pw-12"));

    assertThat(shortValue.redact("pw-12 p w 1 2 21wp")).isEqualTo("[REDACTED] p w 1 2 21wp");
  }

  @Test
  void shouldLeaveOrdinaryOutputAlone() {
    String output = "BUILD SUCCESS\nTests run: 412, Failures: 0\n"
        + Base64.getEncoder().encodeToString("hello world".getBytes(StandardCharsets.UTF_8))
        + "\n" + HexFormat.of().formatHex("some bytes".getBytes(StandardCharsets.UTF_8));

    assertThat(redactor.redact(output)).isEqualTo(output);
  }

  @Test
  @Timeout(20)
  void shouldRedact8MiBOfOutputWith32CredentialsInBoundedTime() {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      values.add(SECRET.substring(0, 40) + String.format("%08d", i));
    }
    Redactor many = new Redactor(values);
    StringBuilder text = new StringBuilder(8 << 20);
    while (text.length() < (8 << 20) - 200) {
      text.append("s k - a n t  whsec 9fK2 %41%42 aGVsbG8= 0a0b0c ");
    }
    text.append(String.join(" ", values.get(31).split("")));

    long started = System.nanoTime();
    String redacted = many.redact(text.toString());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(redacted).endsWith(Redactor.MASK);
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }

  private static List<Base64.Encoder> encoders() {
    return List.of(
        Base64.getEncoder(),
        Base64.getEncoder().withoutPadding(),
        Base64.getUrlEncoder(),
        Base64.getUrlEncoder().withoutPadding());
  }

  /** Whether any stretch of the redacted text still decodes to (a large part of) the secret. */
  private static boolean decodesToSecret(String redacted) {
    for (String word : redacted.split("[^A-Za-z0-9+/_=-]+")) {
      for (int skip = 0; skip < 4; skip++) {
        if (word.length() <= skip) {
          continue;
        }
        String chunk = word.substring(skip).replace('-', '+').replace('_', '/');
        chunk = chunk.substring(0, chunk.length() - chunk.length() % 4);
        try {
          String decoded = new String(Base64.getDecoder().decode(chunk), StandardCharsets.UTF_8);
          if (decoded.contains(SECRET.substring(10, 30))) {
            return true;
          }
        } catch (IllegalArgumentException notBase64) {
          // not decodable at this offset
        }
      }
    }
    return false;
  }
}
