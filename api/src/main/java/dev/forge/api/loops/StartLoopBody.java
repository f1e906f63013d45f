package dev.forge.api.loops;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.forge.api.problems.UnknownFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/loops}, as sent: {@link StartLoopReader} checks it. Components are
 * untyped on purpose: a value of the wrong type is one of the errors the reader reports together
 * (and the loop starter audits), not a failed read.
 *
 * @param config forge.yml as a JSON object, parsed by the forge.yml parser (not by Jackson)
 * @param unknownFields the names of fields the body should not have
 */
@Schema(description = "Starts a loop.",
    additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record StartLoopBody(
    @Schema(type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
        description = "absolute path under forge.api.allowed-roots") Object repository,
    @Schema(type = "string", maxLength = StartLoopReader.MAX_GOAL_CHARS,
        description = "the goal; optional when the config names a prompt_file") Object goal,
    @Schema(type = "object", types = "object",
        description = "forge.yml as JSON; without it the repository's own forge.yml") Object config,
    @Schema(hidden = true) List<String> unknownFields) {

  static final List<String> FIELDS = List.of("repository", "goal", "config");

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static StartLoopBody of(Map<String, Object> body) {
    return new StartLoopBody(body.get("repository"), body.get("goal"), body.get("config"),
        UnknownFields.of(body, FIELDS));
  }

  /** A start with the repository's own forge.yml (as a webhook asks for). */
  static StartLoopBody withRepositoryConfig(String repository, String goal) {
    return new StartLoopBody(repository, goal, null, List.of());
  }
}
