package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A goal or prompt file holding NUL or another control character is refused before a start. */
class StartLoopGoalTest {

  private static final ApiUser CALLER = new ApiUser("dev", Set.of(Role.ENGINEER), List.of());

  @TempDir
  Path root;

  private Path repo;
  private StartLoopReader reader;

  @BeforeEach
  void createRepository() throws IOException {
    repo = Files.createDirectories(root.resolve("repo")).toRealPath();
    Files.createDirectories(repo.resolve(".git"));
    reader = new StartLoopReader(new RepositoryPolicy(List.of(root.toString())),
        new ForgeConfigParser(), new dev.forge.api.policy.LoopPolicy(
            dev.forge.api.policy.PolicyProperties.defaults(), java.util.Set.of(),
            java.util.Optional.empty()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fix\u0000it", "fix\u001b[2Jit", "fix\u007fit", "fix\u0085it", "\u0007"})
  void shouldRefuseAGoalWithAControlCharacter(String goal) {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> reader.read(StartLoopBody.of(body(goal, null)), "loop-abc123def4", CALLER));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("goal", "format"));
    assertThat(e.errors().get(0).message()).contains("control character U+");
  }

  @Test
  void shouldAcceptTabsAndLineBreaksInAGoal() {
    assertThat(reader.read(StartLoopBody.of(body("fix it\n\tthen\r\ntest it", null)), "loop-abc123def4", CALLER)
        .prompt()).isEqualTo("fix it\n\tthen\r\ntest it");
  }

  @Test
  void shouldRefuseAPromptFileWithAControlCharacter() throws IOException {
    Files.writeString(repo.resolve("PROMPT.md"), "do the thing\u0000 quietly");

    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> reader.read(StartLoopBody.of(body(null, "PROMPT.md")), "loop-abc123def4", CALLER));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("loop.prompt_file", "format"));
  }

  private Map<String, Object> body(String goal, String promptFile) {
    Map<String, Object> loop = new LinkedHashMap<>();
    loop.put("agent", Map.of("command", List.of("agent", "{prompt}")));
    loop.put("cost_cap_usd", 1);
    if (promptFile != null) {
      loop.put("prompt_file", promptFile);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("version", 1);
    config.put("loop", loop);
    config.put("sandbox", Map.of("image", "forge/sandbox:0.1.0-bookworm"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("repository", repo.toString());
    if (goal != null) {
      body.put("goal", goal);
    }
    body.put("config", config);
    return body;
  }
}
