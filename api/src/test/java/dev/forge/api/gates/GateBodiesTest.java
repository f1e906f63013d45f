package dev.forge.api.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.forge.api.docs.BodyRecords;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import io.swagger.v3.oas.models.media.Schema;
import org.junit.jupiter.api.Test;

/** Gate decision bodies: read as sent, checked by GateRequest, described by springdoc. */
class GateBodiesTest {

  private static final String SHA = "a".repeat(40);

  @Test
  void shouldRequireTheCheckpointOfAnApprovalOnlyWhenTheBodyDoesNotNameIt() {
    InvalidInputException absent = catchThrowableOfType(InvalidInputException.class,
        () -> GateRequest.read(BodyRecords.read("{}", GateApprovalBody.class), true));
    InvalidInputException noBody = catchThrowableOfType(InvalidInputException.class,
        () -> GateRequest.read(null, true));

    // a JSON null names the field: the workflow, not the reader, refuses the missing checkpoint
    GateRequest named = GateRequest.read(
        BodyRecords.read("{\"checkpointSha\":null}", GateApprovalBody.class), true);

    assertThat(absent.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("checkpointSha", "required"));
    assertThat(noBody.errors()).isEqualTo(absent.errors());
    assertThat(named.checkpointSha()).isNull();
    assertThat(GateRequest.read(null, false).comment()).isEmpty();
  }

  @Test
  void shouldReportEveryProblemOfTheBodyAtOnce() {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> GateRequest.read(BodyRecords.read("{\"zz\":1,\"aa\":2,\"comment\":5,"
            + "\"checkpointSha\":\"" + SHA + "\",\"totp\":\"12\"}", GateRejectionBody.class), false));

    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule).containsExactly(
        tuple("aa", "unknown"), tuple("zz", "unknown"), tuple("comment", "type"),
        tuple("totp", "format"));
    assertThat(e.errors().get(0).message()).isEqualTo(
        "is not a known field; allowed: comment, checkpointSha, backupRef, rollbackPlan, totp");
  }

  @Test
  void shouldDescribeTheApprovalWithItsRequiredCheckpoint() {
    Schema<?> approve = BodyRecords.schema(GateApprovalBody.class);
    Schema<?> reject = BodyRecords.schema(GateRejectionBody.class);

    assertThat(approve.getRequired()).containsExactly("checkpointSha");
    assertThat(approve.getProperties()).containsOnlyKeys(GateBody.FIELDS);
    assertThat(approve.getAdditionalProperties()).isEqualTo(false);
    assertThat(reject.getRequired()).isNullOrEmpty();
    assertThat(reject.getProperties()).containsOnlyKeys(GateBody.FIELDS);
  }
}
