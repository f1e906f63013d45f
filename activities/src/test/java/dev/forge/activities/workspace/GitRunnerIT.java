package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRunnerIT {

  @TempDir Path temp;

  @Test
  void shouldReadOnlyTheRepositorysConfigurationAndTheCommandLine() throws IOException {
    // given a repository with one setting of its own
    Path repo = TestRepos.repository(temp.resolve("repo"), Map.of("a.txt", "a\n"));
    TestRepos.git(repo, "config", "forge.test", "local");
    Git git = new Git("git", Duration.ofSeconds(30));

    // when
    String local = "file:" + repo.toRealPath().resolve(".git/config");
    String origins =
        git.run(GitContext.repository(repo.toRealPath()), "config", "--list", "--show-origin")
            .stdout();

    // then every value comes from .git/config or from Forge's -c options, none from system or
    // global files
    assertThat(origins.lines())
        .isNotEmpty()
        .allSatisfy(
            line -> assertThat(line).matches("(" + Pattern.quote(local) + "|command line:)\\t.*"));
    assertThat(origins)
        .contains("command line:\tcore.hookspath=/dev/null", "command line:\tcore.fsmonitor=false");
    assertThat(origins).contains(local + "\tforge.test=local");
  }

  @Test
  void shouldUseAnEmptyPrivateHome() throws IOException {
    // when
    Git git = new Git("git", Duration.ofSeconds(30));

    // then
    try (var entries = Files.list(git.home())) {
      assertThat(entries).isEmpty();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(git.home())))
        .isEqualTo("rwx------");
  }

  @Test
  void shouldNameArgumentsAndGitsErrorWhenGitFails() throws IOException {
    // given
    Path repo = TestRepos.repository(temp.resolve("repo"), Map.of("a.txt", "a\n"));
    Git git = new Git("git", Duration.ofSeconds(30));

    // when / then
    assertThatThrownBy(
            () ->
                git.run(
                    GitContext.repository(repo.toRealPath()),
                    "rev-parse",
                    "--verify",
                    "no-such-ref"))
        .isInstanceOf(GitException.class)
        .hasMessageStartingWith("git rev-parse --verify no-such-ref failed with exit code 128")
        .hasMessageContaining("fatal: Needed a single revision")
        .hasMessageNotContaining("GIT_DIR")
        .hasMessageNotContaining(git.home().toString());
  }

  @Test
  void shouldPassInputOnStandardInput() throws IOException {
    // given
    Path repo = TestRepos.repository(temp.resolve("repo"), Map.of("a.txt", "a\n"));
    Git git = new Git("git", Duration.ofSeconds(30));

    // when
    String blob =
        git.runWithInput(
                GitContext.repository(repo.toRealPath()), "hello\n", "hash-object", "--stdin")
            .line();

    // then
    assertThat(blob).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
  }

  @Test
  void shouldKillGitAndItsChildrenWhenTheTimeoutPasses() throws Exception {
    // given a stand-in for git that starts a long-lived child and waits for it
    Path pidFile = temp.resolve("child.pid");
    Path fakeGit = script("fake-git", "#!/bin/sh\nsleep 300 &\necho $! > " + pidFile + "\nwait\n");
    Git git = new Git(fakeGit.toString(), Duration.ofMillis(500));
    long started = System.nanoTime();

    // when / then
    assertThatThrownBy(() -> git.run(GitContext.repository(temp), "status"))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("git status timed out after PT0.5S and was killed");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    long childPid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void shouldKeepOnlyTheBeginningOfLongErrorOutput() throws IOException {
    // given a stand-in for git that writes far more error output than Forge keeps
    Path fakeGit = script("noisy-git", "#!/bin/sh\nyes e | head -c 1000000 >&2\nexit 3\n");
    Git git = new Git(fakeGit.toString(), Duration.ofSeconds(30));

    // when
    GitResult result = git.probe(GitContext.repository(temp), "status");

    // then
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr()).startsWith("e\ne\n").endsWith("[error output shortened]");
    assertThat(result.stderr().length()).isLessThan(GitProcess.STDERR_LIMIT + 100);
  }

  @Test
  void shouldFailInsteadOfHoldingUnboundedOutput() throws IOException {
    // given
    Path fakeGit =
        script(
            "flooding-git", "#!/bin/sh\nhead -c " + (GitProcess.STDOUT_LIMIT + 1) + " /dev/zero\n");
    Git git = new Git(fakeGit.toString(), Duration.ofSeconds(30));

    // when / then
    assertThatThrownBy(() -> git.probe(GitContext.repository(temp), "status"))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("wrote more than " + GitProcess.STDOUT_LIMIT + " bytes");
  }

  private Path script(String name, String content) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
