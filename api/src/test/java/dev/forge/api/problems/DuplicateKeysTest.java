package dev.forge.api.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DuplicateKeysTest {

  private static final JsonMapper STRICT = DuplicateKeys.strict(JsonMapper.builder()).build();

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{\"goal\": \"a\", \"goal\": \"b\"}|goal",
      "{\"config\": {\"loop\": {\"max_iterations\": 1, \"max_iterations\": 99}}}|config.loop.max_iterations",
      "{\"checks\": [{\"a\": 1}, {\"b\": 1, \"b\": 2}]}|checks[1].b",
      "{\"x\": [[{\"k\": 1, \"k\": 1}]]}|x[0][0].k"})
  void shouldNameThePathOfTheDuplicatedKey(String json, String path) {
    // when
    Throwable failure = catchThrowable(() -> STRICT.readValue(json, Map.class));

    // then
    assertThat(DuplicateKeys.in(failure)).hasValueSatisfying(error -> {
      assertThat(error.field()).isEqualTo(path);
      assertThat(error.rule()).isEqualTo("duplicate");
      assertThat(error.message()).doesNotContain("Object property").doesNotContain("jackson");
    });
  }

  @Test
  void shouldNotTakeOtherSyntaxErrorsForADuplicate() {
    Throwable failure = catchThrowable(() -> STRICT.readValue("{\"a\": [}", Map.class));

    assertThat(failure).isNotNull();
    assertThat(DuplicateKeys.in(failure)).isEmpty();
  }
}
