package dev.forge.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitEnvironmentTest {

  private static final Path HOME = Path.of("/tmp/forge-git-home-test");

  @Test
  void shouldSetOnlyWhatGitNeedsForALinkedWorktree() {
    // given
    GitContext context =
        GitContext.linkedWorktree(
            Path.of("/repo/.git/worktrees/loop-one"),
            Path.of("/repo/.git"),
            Path.of("/wt/loop-one"));

    // when
    Map<String, String> env = Git.environment(context, HOME);

    // then
    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("PATH", "/usr/local/bin:/usr/bin:/bin"),
                Map.entry("LC_ALL", "C"),
                Map.entry("HOME", HOME.toString()),
                Map.entry("GIT_CONFIG_NOSYSTEM", "1"),
                Map.entry("GIT_CONFIG_GLOBAL", "/dev/null"),
                Map.entry("GIT_ATTR_NOSYSTEM", "1"),
                Map.entry("GIT_TERMINAL_PROMPT", "0"),
                Map.entry("GIT_OPTIONAL_LOCKS", "0"),
                Map.entry("GIT_DIR", "/repo/.git/worktrees/loop-one"),
                Map.entry("GIT_COMMON_DIR", "/repo/.git"),
                Map.entry("GIT_WORK_TREE", "/wt/loop-one"),
                Map.entry("GIT_AUTHOR_NAME", "Forge"),
                Map.entry("GIT_AUTHOR_EMAIL", "forge@localhost"),
                Map.entry("GIT_COMMITTER_NAME", "Forge"),
                Map.entry("GIT_COMMITTER_EMAIL", "forge@localhost")));
  }

  @Test
  void shouldInheritNothingFromForgesOwnEnvironment() {
    // given whatever this JVM was started with
    Map<String, String> inherited = System.getenv();

    // when
    Map<String, String> env = Git.environment(GitContext.repository(Path.of("/repo")), HOME);

    // then no variable carries over unless Forge sets it itself, and none with the inherited value
    inherited.forEach(
        (name, value) -> {
          if (env.containsKey(name)) {
            assertThat(List.of("PATH", "LC_ALL", "HOME")).contains(name);
          }
        });
    assertThat(env)
        .doesNotContainKeys(
            "GIT_CONFIG",
            "GIT_CONFIG_PARAMETERS",
            "GIT_EXEC_PATH",
            "XDG_CONFIG_HOME",
            "SSH_AUTH_SOCK");
    assertThat(env).containsEntry("HOME", HOME.toString());
  }

  @Test
  void shouldNameTheMainRepositoryWithoutACommonDirectory() {
    // when
    Map<String, String> env = Git.environment(GitContext.repository(Path.of("/repo")), HOME);

    // then
    assertThat(env)
        .containsEntry("GIT_DIR", "/repo/.git")
        .containsEntry("GIT_WORK_TREE", "/repo")
        .doesNotContainKey("GIT_COMMON_DIR");
  }

  @Test
  void shouldPutHardeningOptionsBetweenExecutableAndSubcommand() {
    // when
    List<String> command = Git.command("/usr/bin/git", List.of("add", "--all"));

    // then
    assertThat(command).startsWith("/usr/bin/git", "--no-pager").endsWith("add", "--all");
    assertThat(command)
        .containsSequence("-c", "core.hooksPath=/dev/null")
        .containsSequence("-c", "core.fsmonitor=false")
        .containsSequence("-c", "core.untrackedCache=false")
        .containsSequence("-c", "protocol.allow=never")
        .containsSequence("-c", "submodule.recurse=false")
        .containsSequence("-c", "commit.gpgSign=false");
  }
}
