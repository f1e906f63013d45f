package dev.forge.api.stepup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.api.docs.BodyRecords;
import io.swagger.v3.oas.models.media.Schema;
import org.junit.jupiter.api.Test;

/** The enrolment body: read as sent, described by springdoc. */
class TotpEnrolmentBodyTest {

  @Test
  void shouldHoldTheUserAsSentAndNameUnknownFields() {
    TotpEnrolmentBody body = BodyRecords.read("{\"user\":[\"lead\"],\"who\":1}", TotpEnrolmentBody.class);

    assertThat(body.user()).isEqualTo(java.util.List.of("lead"));
    assertThat(body.unknownFields()).containsExactly("who");
  }

  @Test
  void shouldDescribeTheRequiredUser() {
    Schema<?> schema = BodyRecords.schema(TotpEnrolmentBody.class);

    assertThat(schema.getRequired()).containsExactly("user");
    assertThat(schema.getProperties()).containsOnlyKeys("user");
    assertThat(schema.getAdditionalProperties()).isEqualTo(false);
  }
}
