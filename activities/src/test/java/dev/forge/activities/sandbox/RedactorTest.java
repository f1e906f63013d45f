package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final String SECRET = "sk-ant-0123456789";
  private final Redactor redactor = new Redactor(List.of(SECRET, "pw-1"));

  @Test
  void shouldMaskEveryWholeOccurrence() {
    assertThat(redactor.redact("key=" + SECRET + " again " + SECRET + " and pw-1"))
        .isEqualTo("key=[REDACTED] again [REDACTED] and [REDACTED]");
  }

  @Test
  void shouldMaskTheEndPieceOfAValueCutAtTheStart() {
    assertThat(redactor.redactCutStart("456789 and more")).isEqualTo("[REDACTED] and more");
  }

  @Test
  void shouldMaskTheStartPieceOfAValueCutAtTheEnd() {
    assertThat(redactor.redactCutEnd("value: sk-ant-01")).isEqualTo("value: [REDACTED]");
  }

  @Test
  void shouldLeaveTextWithoutValuesAlone() {
    assertThat(redactor.redactCutStart("89 is fine")).isEqualTo("89 is fine");
    assertThat(redactor.redactCutEnd("sk")).isEqualTo("sk");
    assertThat(Redactor.none().redact("anything")).isEqualTo("anything");
  }

  @Test
  void shouldKeepAValueOutOfOutputEvenWhenTheHeadTailCutSplitsIt() {
    StepOutput output = new StepOutput(32, null, null, new Redactor(List.of(SECRET)));
    byte[] bytes = ("abcdefghij" + SECRET + "x".repeat(40) + SECRET).getBytes(StandardCharsets.UTF_8);

    output.stdout(bytes);

    StepOutput.AuditOutput audit = output.forAudit(1024);
    assertThat(audit.head() + audit.tail() + output.tail(20))
        .doesNotContain(SECRET)
        .doesNotContain("sk-ant")
        .doesNotContain("56789");
  }
}
