package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.api.docs.BodyRecords;
import dev.forge.api.problems.DuplicateKeys;
import dev.forge.api.problems.FieldError;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

/**
 * The loop bodies are read by Jackson into records that hold each field as sent, so that the
 * handlers give the answers they gave when they read a map; springdoc describes them.
 */
class LoopBodiesTest {

  @Test
  void shouldHoldEachFieldAsSentAndNameTheUnknownOnes() {
    String json = "{\"repository\":5,\"goal\":\"fix\",\"config\":{\"loop\":{\"max_iterations\":2}},"
        + "\"zeta\":1,\"unknownFields\":[],\"alpha\":null}";
    Map<String, Object> map = BodyRecords.map(json);

    StartLoopBody body = BodyRecords.read(json, StartLoopBody.class);

    assertThat(body.repository()).isEqualTo(map.get("repository"));
    assertThat(body.goal()).isEqualTo("fix");
    assertThat(body.config()).isEqualTo(map.get("config"));
    assertThat(body.unknownFields()).containsExactly("alpha", "unknownFields", "zeta");
  }

  @Test
  void shouldReadNumbersAsAMapDid() {
    for (String cap : List.of("5", "5.5", "1e3", "123456789012345678901234567890", "\"5.00\"")) {
      String json = "{\"costCapUsd\":" + cap + "}";

      assertThat(BodyRecords.read(json, CostCapBody.class).costCapUsd())
          .isEqualTo(BodyRecords.map(json).get("costCapUsd"));
    }
  }

  @Test
  void shouldFailTheReadWhereAMapFailedIt() {
    assertThat(BodyRecords.read("null", RollbackBody.class)).isNull();
    for (String json : List.of("[1]", "\"x\"", "5", "{\"checkpoint\":", "")) {
      assertThatThrownBy(() -> BodyRecords.read(json, RollbackBody.class))
          .isInstanceOf(JacksonException.class);
      assertThatThrownBy(() -> BodyRecords.map(json)).isInstanceOf(JacksonException.class);
    }
    Throwable duplicate = org.assertj.core.api.Assertions.catchThrowable(() -> BodyRecords.read(
        "{\"config\":{\"loop\":{\"a\":1,\"a\":2}}}", StartLoopBody.class));
    assertThat(DuplicateKeys.in(duplicate)).get().extracting(FieldError::field)
        .isEqualTo("config.loop.a");
  }

  @Test
  void shouldDescribeEachBodyWithItsRequiredFieldsAndNoOthers() {
    Schema<?> start = BodyRecords.schema(StartLoopBody.class);
    Schema<?> rollback = BodyRecords.schema(RollbackBody.class);
    Schema<?> cap = BodyRecords.schema(CostCapBody.class);

    assertThat(start.getRequired()).containsExactly("repository");
    assertThat(start.getProperties()).containsOnlyKeys(StartLoopBody.FIELDS);
    assertThat(start.getProperties().get("config").getTypes()).containsExactly("object");
    assertThat(start.getAdditionalProperties()).isEqualTo(false);
    assertThat(rollback.getRequired()).containsExactly("checkpoint");
    assertThat(rollback.getProperties()).containsOnlyKeys("checkpoint", "reason");
    assertThat(cap.getRequired()).containsExactly("costCapUsd");
    assertThat(cap.getProperties()).containsOnlyKeys("costCapUsd", "reason");
    assertThat(cap.getProperties().get("costCapUsd").getPattern()).isNotBlank();
  }
}
