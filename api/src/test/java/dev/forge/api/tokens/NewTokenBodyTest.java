package dev.forge.api.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.forge.api.docs.BodyRecords;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import io.swagger.v3.oas.models.media.Schema;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The token body: read as sent, checked by TokenRequest, described by springdoc. */
class NewTokenBodyTest {

  @Test
  void shouldReportEveryProblemOfTheBodyAtOnce() {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> TokenRequest.read(BodyRecords.read("{\"name\":7,\"roles\":[\"admin\",3],"
            + "\"groups\":\"x\",\"expiresIn\":30,\"x\":true}", NewTokenBody.class),
            Duration.ofDays(30), Duration.ofDays(90)));

    assertThat(e.errors()).extracting(FieldError::field).containsExactly(
        "x", "name", "roles[1]", "groups", "expiresIn");
    assertThat(e.errors().get(0).message())
        .isEqualTo("is not a known field; allowed: name, roles, groups, expiresIn");
  }

  @Test
  void shouldDescribeTheRequiredNameAndRoles() {
    Schema<?> schema = BodyRecords.schema(NewTokenBody.class);

    assertThat(schema.getRequired()).containsExactlyInAnyOrder("name", "roles");
    assertThat(schema.getProperties()).containsOnlyKeys("name", "roles", "groups", "expiresIn");
    assertThat(schema.getProperties().get("roles").getTypes()).containsExactly("array");
    assertThat(schema.getProperties().get("groups").getItems().getTypes()).containsExactly("string");
    assertThat(schema.getProperties().get("roles").getItems().getEnum())
        .containsExactly("viewer", "engineer", "approver", "admin");
    assertThat(schema.getProperties().get("expiresIn").getExample()).hasToString("30d");
    assertThat(schema.getAdditionalProperties()).isEqualTo(false);
  }
}
