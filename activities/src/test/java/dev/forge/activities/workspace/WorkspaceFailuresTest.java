package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkspaceFailuresTest {

  @Test
  void shouldSayInForgesWordsThatGitFailedWithoutGitsOutput() {
    GitException git = new GitException(List.of("worktree", "add", "/home/forge/.forge/w/x"),
        "failed with exit code 128: fatal: '/home/forge/.forge/w/x' already exists");

    assertThatThrownBy(() -> WorkspaceFailures.translated("checkpoint", () -> {
      throw git;
    }))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(WorkspaceFailures.GIT_ERROR);
          assertThat(f.isNonRetryable()).isFalse();
          assertThat(f.getCause()).isNull();
          assertThat(f.getOriginalMessage())
              .isEqualTo("git failed on the worker during checkpoint; it is retried, and the"
                  + " worker's log has the details")
              .doesNotContain("/home").doesNotContain("fatal");
        });
  }

  @Test
  void shouldKeepHostPathsAndClassNamesOfOtherErrorsOut() {
    RuntimeException io = new UncheckedIOException("cannot list /var/lib/forge/quota",
        new IOException("Permission denied"));
    RuntimeException bug = new IllegalStateException("java.lang.IllegalStateException: x");

    assertThat(WorkspaceFailures.inForgesWords("prepare", io).getOriginalMessage())
        .startsWith("the worker could not read or write").doesNotContain("/var");
    assertThat(WorkspaceFailures.inForgesWords("prepare", bug).getType())
        .isEqualTo(WorkspaceFailures.UNEXPECTED);
    assertThat(WorkspaceFailures.inForgesWords("prepare", bug).getOriginalMessage())
        .doesNotContain("java.").doesNotContain("Exception");
  }

  @Test
  void shouldPassForgesOwnFailuresAndResultsThrough() {
    ApplicationFailure own = WorkspaceFailures.invalidWorkspace("no reset request given");

    assertThatThrownBy(() -> WorkspaceFailures.translated("reset", () -> {
      throw own;
    })).isSameAs(own);
    assertThat(WorkspaceFailures.translated("prepare", () -> "ok")).isEqualTo("ok");
  }
}
