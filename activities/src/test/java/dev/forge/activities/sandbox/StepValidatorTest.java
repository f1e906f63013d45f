package dev.forge.activities.sandbox;

import dev.forge.spec.RuleException;
import dev.forge.spec.sandbox.ImageReference;
import static dev.forge.activities.sandbox.SandboxFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxStep;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class StepValidatorTest {

  private static final String SECRET = "value-that-must-not-leak";

  @TempDir Path workspace;
  private DockerClient docker;
  private StepValidator validator;

  @BeforeEach
  void setUp() {
    docker = mock(DockerClient.class, RETURNS_DEEP_STUBS);
    validator = new StepValidator(docker, Map.of("HOST_KEY", SECRET)::get, TestStepPolicy.NONE);
  }

  private SandboxStep withEnv(Map<String, String> env) {
    return step("loop", workspace, List.of("true"), SandboxFixtures.limits(), env, null, null);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      Runnable action, String type) {
    return assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(type);
            });
  }

  @Test
  void shouldRefuseAStepThatAsksForTheModelGatewayThisWorkerDoesNotRun() {
    SandboxStep plain = withEnv(Map.of());
    SandboxStep model = new SandboxStep(plain.loopId(), plain.iteration(), plain.step(),
        plain.workspace(), plain.command(), plain.sandbox(), plain.usage(),
        plain.completionPromise(), new dev.forge.spec.loop.AgentModel(
            dev.forge.spec.loop.ModelProvider.ANTHROPIC, "HOST_KEY", null),
        java.math.BigDecimal.ONE);

    assertRejected(() -> validator.prepare(model), SandboxFailures.CONFIG_ERROR)
        .hasMessageContaining("model gateway");
  }

  @Test
  void shouldResolveTheEnvironmentAndHideItsValues() {
    PreparedStep prepared = validator.prepare(withEnv(Map.of("API_KEY", "HOST_KEY")));

    assertThat(prepared.env())
        .containsExactly("HOME=/tmp", "FORGE_LOOP_ID=loop", "FORGE_ITERATION=1", "API_KEY=" + SECRET);
    assertThat(prepared.toString()).doesNotContain(SECRET);
    assertThat(prepared.redactor().redact(SECRET)).isEqualTo(Redactor.MASK);
    assertThat(prepared.gitMetadata()).isEmpty();
  }

  @Test
  void shouldRefuseAHostVariableTheOperatorDoesNotGrantBeforeReadingIt() {
    // given a policy granting HOST_KEY to alice's loops on /srv/repos/shop only
    List<String> read = new java.util.ArrayList<>();
    StepPolicy policy = StepPolicy.envGrants(
        List.of(new dev.forge.spec.policy.EnvGrant(List.of("HOST_KEY"),
            List.of("/srv/repos/shop"), List.of("alice"))),
        loopId -> loopId.equals("loop")
            ? java.util.Optional.of(new StepPolicy.Owner("bob", "/srv/repos/shop"))
            : java.util.Optional.empty());
    StepValidator checked = new StepValidator(docker, name -> {
      read.add(name);
      return SECRET;
    }, policy);

    // when bob's loop asks for it, and a loop with no recorded start does
    assertRejected(() -> checked.prepare(withEnv(Map.of("API_KEY", "HOST_KEY"))), "SandboxPolicyViolation")
        .hasMessageContaining("HOST_KEY").hasMessageContaining("bob")
        .hasMessageNotContaining(SECRET);
    assertRejected(() -> checked.prepare(step("unknown-loop", workspace, List.of("true"),
            SandboxFixtures.limits(), Map.of("API_KEY", "HOST_KEY"), null, null)),
        "SandboxPolicyViolation")
        .hasMessageContaining("no recorded start");

    // then the worker's environment was never even read
    assertThat(read).isEmpty();
  }

  @Test
  void shouldPassAHostVariableTheOperatorGrantsToTheLoopsStarter() {
    StepPolicy policy = StepPolicy.envGrants(
        List.of(new dev.forge.spec.policy.EnvGrant(List.of("HOST_KEY"), List.of(),
            List.of("alice"))),
        loopId -> java.util.Optional.of(new StepPolicy.Owner("alice", "/srv/repos/shop")));

    PreparedStep prepared = new StepValidator(docker, Map.of("HOST_KEY", SECRET)::get, policy)
        .prepare(withEnv(Map.of("API_KEY", "HOST_KEY")));

    assertThat(prepared.env()).contains("API_KEY=" + SECRET);
  }

  @Test
  void shouldNameBothVariablesButNoValueWhenTheHostVariableIsMissing() {
    assertRejected(() -> validator.prepare(withEnv(Map.of("API_KEY", "NOT_SET_ON_HOST"))), "SandboxConfigError")
        .hasMessageContaining("API_KEY")
        .hasMessageContaining("NOT_SET_ON_HOST");
  }

  @Test
  void shouldNotEchoALiteralSecretWrittenWhereAVariableNameBelongs() {
    assertRejected(() -> validator.prepare(withEnv(Map.of("API_KEY", "sk-live-abc/def"))), "SandboxConfigError")
        .hasMessageNotContaining("sk-live-abc/def");
  }

  @ParameterizedTest
  @CsvSource({"HOME", "FORGE_LOOP_ID", "FORGE_ANYTHING", "'BAD NAME'", "1X"})
  void shouldRefuseReservedOrInvalidSandboxVariables(String name) {
    assertRejected(() -> validator.prepare(withEnv(Map.of(name, "HOST_KEY"))), "SandboxConfigError")
        .hasMessageContaining("is not allowed");
  }

  @Test
  void shouldRejectAWorkspaceThatDoesNotExist() {
    SandboxStep step = step("loop", workspace.resolve("missing"), List.of("true"));

    assertRejected(() -> validator.prepare(step), "SandboxConfigError")
        .hasMessageContaining("does not exist");
  }

  @Test
  void shouldRefuseToMountTheRootDirectory() {
    SandboxStep step = step("loop", Path.of("/"), List.of("true"));

    assertRejected(() -> validator.prepare(step), "SandboxPolicyViolation")
        .hasMessageContaining("would expose");
  }

  @Test
  void shouldRefuseASymlinkedGitMetadata() throws Exception {
    Files.createSymbolicLink(workspace.resolve(".git"), Path.of("/etc"));

    assertRejected(() -> validator.prepare(withEnv(Map.of())), "SandboxPolicyViolation")
        .hasMessageContaining("symbolic link");
  }

  @Test
  void shouldMountAWorktreeGitFile() throws Exception {
    Path git = Files.writeString(workspace.resolve(".git"), "gitdir: /elsewhere\n");

    assertThat(validator.prepare(withEnv(Map.of())).gitMetadata()).contains(git.toRealPath());
  }

  @Test
  void shouldRejectAnImageThatIsNotThereLocally() {
    when(docker.inspectImageCmd("forge/sandbox:0.1.0-bookworm").exec())
        .thenThrow(new NotFoundException("no such image"));

    assertRejected(() -> validator.prepare(withEnv(Map.of())), "SandboxConfigError")
        .extracting(e -> ((ApplicationFailure) e).getOriginalMessage())
        .isEqualTo(
            "image forge/sandbox:0.1.0-bookworm not found locally; build it with ./forge images");
  }

  @ParameterizedTest
  @CsvSource({
    "forge/sandbox,false",
    "forge/sandbox:latest,false",
    "localhost:5000/forge/sandbox,false",
    "localhost:5000/forge/sandbox:1.2,true",
    "forge/sandbox:0.1.0-bookworm,true",
    "forge/sandbox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,true",
    "forge/sandbox@sha256:0123abcd,false"
  })
  void shouldAcceptOnlyPinnedImages(String image, boolean pinned) {
    // The same rule as the forge.yml parser's: spec's ImageReference.
    boolean accepted;
    try {
      ImageReference.check(image);
      accepted = true;
    } catch (RuleException e) {
      accepted = false;
    }
    assertThat(accepted).isEqualTo(pinned);
  }

  @Test
  void shouldRefuseAnUnpinnedImage() {
    SandboxStep step = SandboxFixtures.withImage(withEnv(Map.of()), "forge/sandbox:latest");

    assertRejected(() -> validator.prepare(step), "SandboxPolicyViolation")
        .hasMessageContaining("not pinned");
  }

  @ParameterizedTest
  @CsvSource({
    "0,1000000000,128,60,1048576,65536,memory",
    "8388608,1000000000,128,60,1048576,65536,memory",
    "268435456,0,128,60,1048576,65536,cpu",
    "268435456,1000000000,0,60,1048576,65536,pids",
    "268435456,1000000000,128,0,1048576,65536,timeout",
    "268435456,1000000000,128,3,1048576,65536,timeout",
    "268435456,1000000000,128,60,0,65536,tmpfs",
    "268435456,1000000000,128,60,1048576,100,output"
  })
  void shouldRejectLimitsThatWouldMeanUnlimited(
      long memory, long cpus, long pids, long timeout, long tmpfs, long output, String named) {
    SandboxLimits limits = new SandboxLimits(memory, cpus, pids, timeout, tmpfs, output, 0);
    SandboxStep step = step("loop", workspace, List.of("true"), limits, Map.of(), null, null);

    assertRejected(() -> validator.prepare(step), "SandboxConfigError").hasMessageContaining(named);
  }

  @Test
  void shouldRejectAnEmptyCommandAndABlankPromise() {
    SandboxStep noCommand = step("loop", workspace, List.of());
    SandboxStep blankPromise =
        step("loop", workspace, List.of("true"), SandboxFixtures.limits(), Map.of(), null, " ");

    assertRejected(() -> validator.prepare(noCommand), "SandboxConfigError").hasMessageContaining("no command");
    assertRejected(() -> validator.prepare(blankPromise), "SandboxConfigError").hasMessageContaining("promise");
  }

  @Test
  void shouldRefuseCredentialsWhileDockerRequestsAreLoggedAtDebug() {
    Logger logger = (Logger) LoggerFactory.getLogger(SecretLogGuard.LOGGERS.get(0));
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try {
      assertRejected(() -> validator.prepare(withEnv(Map.of("API_KEY", "HOST_KEY"))), "SandboxConfigError")
          .hasMessageContaining("DEBUG logging");
      assertThat(validator.prepare(withEnv(Map.of())).env()).hasSize(3);
    } finally {
      logger.setLevel(before);
    }
  }
}
