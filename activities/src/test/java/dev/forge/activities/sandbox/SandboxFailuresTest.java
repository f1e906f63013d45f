package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxFailuresTest {

  private final Redactor redactor = new Redactor(List.of("hunter2-secret"));

  @Test
  void shouldMakeAnUnreachableDaemonRetryable() {
    RuntimeException e = new RuntimeException(new IOException("connect refused"));

    RuntimeException translated = SandboxFailures.translate(e, redactor);

    assertThat(translated).isInstanceOfSatisfying(
        ApplicationFailure.class,
        f -> {
          assertThat(f.isNonRetryable()).isFalse();
          assertThat(f.getType()).isEqualTo(SandboxFailures.DOCKER_UNAVAILABLE);
        });
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
  void shouldDropTheCauseWhenItsMessageHeldACredential() {
    RuntimeException e = new InternalServerErrorException("bad env API_KEY=hunter2-secret");

    RuntimeException translated = SandboxFailures.translate(e, redactor);

    assertThat(translated.getMessage()).doesNotContain("hunter2-secret").contains(Redactor.MASK);
    assertThat(translated.getCause()).isNull();
  }

  @Test
  void shouldPassFailuresAndUnrelatedExceptionsThrough() {
    ApplicationFailure failure = SandboxFailures.configError("nope");
    IllegalStateException bug = new IllegalStateException("bug");

    assertThat(SandboxFailures.translate(failure, redactor)).isSameAs(failure);
    assertThat(SandboxFailures.translate(bug, redactor)).isSameAs(bug);
  }
}
