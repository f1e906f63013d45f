package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.forge.activities.sandbox.egress.EgressProxyException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxFailuresTest {

  private static final String CPU_REFUSAL = "Status 400: {\"message\":\"Range of CPUs is from"
      + " 0.01 to 2.00, as there are only 2 CPUs available\"}";
  private final Redactor redactor = new Redactor(List.of("hunter2-secret"));

  @Test
  void shouldMakeAnUnreachableDaemonRetryable() {
    RuntimeException e = new RuntimeException(new IOException("connect refused"));

    ApplicationFailure translated = (ApplicationFailure) SandboxFailures.translate(e, redactor);

    assertThat(translated.isNonRetryable()).isFalse();
    assertThat(translated.getType()).isEqualTo(SandboxFailures.DOCKER_UNAVAILABLE);
    assertThat(translated.getOriginalMessage()).doesNotContain("connect refused");
  }

  @Test
  void shouldMakeADaemonErrorRetryableAndARefusedRequestNot() {
    RuntimeException serverError =
        SandboxFailures.translate(new InternalServerErrorException("boom"), redactor);
    RuntimeException badRequest =
        SandboxFailures.translate(new BadRequestException("Minimum memory limit"), redactor);

    assertThat(((ApplicationFailure) serverError).isNonRetryable()).isFalse();
    assertThat(((ApplicationFailure) serverError).getType()).isEqualTo(SandboxFailures.DOCKER_ERROR);
    assertThat(((ApplicationFailure) badRequest).isNonRetryable()).isTrue();
    assertThat(((ApplicationFailure) badRequest).getType()).isEqualTo(SandboxFailures.CONFIG_ERROR);
  }

  @Test
  void shouldSayInForgesWordsThatTheEngineRefusedTheCpuLimit() {
    ApplicationFailure translated = (ApplicationFailure) SandboxFailures.translate(
        new BadRequestException(CPU_REFUSAL), redactor);

    assertThat(translated.getOriginalMessage())
        .isEqualTo("the Docker engine refused the sandbox's settings (cpu): the Docker host has"
            + " 2.00 CPUs; ask for at most that many in sandbox.limits.cpu")
        .doesNotContain("Status 400").doesNotContain("{\"message\"");
  }

  @Test
  void shouldNameTheRefusedSettingWithoutTheEnginesText() {
    assertThat(EngineErrors.refusedSettings("Minimum memory limit allowed is 6MB"))
        .contains("(memory)").doesNotContain("6MB");
    assertThat(EngineErrors.refusedSettings("unknown or invalid runtime name: runsc"))
        .contains("(runtime)").doesNotContain("runsc");
    assertThat(EngineErrors.refusedSettings("something new")).doesNotContain("something new")
        .contains("the worker's log");
  }

  @Test
  void shouldKeepTheEnginesMessageAndTheCauseOutOfTheFailure() {
    RuntimeException e = new InternalServerErrorException("bad env API_KEY=hunter2-secret");

    RuntimeException translated = SandboxFailures.translate(e, redactor);

    assertThat(translated.getMessage()).doesNotContain("hunter2-secret").doesNotContain("bad env")
        .contains("HTTP status 500");
    assertThat(translated.getCause()).isNull();
  }

  @Test
  void shouldSayInForgesWordsWhatElseFailed() {
    List<RuntimeException> failures = List.of(
        new NotFoundException("No such container: 4f2a"),
        new DockerClientException("could not attach to the container within PT5S"),
        new EgressProxyException("could not start the egress proxy: Status 409: conflict"),
        new IllegalStateException("bug at /home/forge/.forge/worktrees"),
        new NullPointerException());

    for (RuntimeException failure : failures) {
      ApplicationFailure translated =
          (ApplicationFailure) SandboxFailures.translate(failure, redactor);
      assertThat(translated.getCause()).isNull();
      assertThat(translated.isNonRetryable()).isFalse();
      assertThat(translated.getOriginalMessage())
          .doesNotContain("Status").doesNotContain("Exception").doesNotContain("/home")
          .doesNotContain("java.").doesNotContain("4f2a").contains("the worker's log");
    }
  }

  @Test
  void shouldPassForgesOwnFailuresThrough() {
    ApplicationFailure failure = SandboxFailures.configError("nope");

    assertThat(SandboxFailures.translate(failure, redactor)).isSameAs(failure);
  }

  @Test
  void shouldRecordAnInterruptionWithoutItsJavaCause() {
    ApplicationFailure interrupted = SandboxFailures.interrupted(new InterruptedException());

    assertThat(interrupted.getCause()).isNull();
    assertThat(interrupted.getType()).isEqualTo(SandboxFailures.INTERRUPTED);
  }
}
