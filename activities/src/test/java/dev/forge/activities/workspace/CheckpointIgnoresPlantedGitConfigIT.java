package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.git;
import static dev.forge.activities.workspace.TestRepos.read;
import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malicious sandbox plants git configuration, hooks and attributes wherever it can write, and
 * points the work tree's {@code .git} file at a git directory it controls. Each payload creates a
 * canary file when run. Forge's checkpoint and reset must run none of them and still commit to the
 * real branch. The payload scripts live outside the work tree so that a reset deleting the planted
 * files could not hide a payload that runs.
 */
class CheckpointIgnoresPlantedGitConfigIT {

  private static final List<String> HOOKS =
      List.of(
          "pre-commit",
          "post-commit",
          "post-checkout",
          "post-index-change",
          "reference-transaction",
          "pre-auto-gc",
          "post-rewrite",
          "fsmonitor-watchman");

  @TempDir Path temp;
  Path canaries;
  Path scripts;
  WorkspaceFixture fixture;
  Workspace workspace;
  Path tree;

  @BeforeEach
  void setUp() throws IOException {
    canaries = Files.createDirectories(temp.resolve("canaries"));
    scripts = Files.createDirectories(temp.resolve("payloads"));
    fixture = new WorkspaceFixture(temp, WorkspaceFixture.ROOT);
    workspace = fixture.prepare("loop-one");
    tree = WorkspaceFixture.path(workspace);
  }

  @Test
  void shouldRunNoPlantedPayloadDuringCheckpointOrReset() throws IOException {
    // given a planted git directory, the .git file pointing at it, attributes and nested
    // repositories
    Path evilGitDir = plantGitDirectory(tree.resolve(".evil-git"));
    Files.writeString(tree.resolve(".git"), "gitdir: " + evilGitDir + "\n");
    plantEverywhere();
    write(tree.resolve("data.txt"), "the agent's work\n");
    proveThePayloadsWork();

    // when
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);

    // then
    assertThat(canaries()).isEmpty();
    assertThat(checkpoint.created()).isTrue();
    assertThat(git(fixture.repository, "rev-parse", "refs/heads/forge/loop-one").strip())
        .isEqualTo(checkpoint.sha());
    assertThat(git(fixture.repository, "show", checkpoint.sha() + ":data.txt"))
        .isEqualTo("the agent's work\n");
    assertThat(git(fixture.repository, "show", checkpoint.sha() + ":vendor/lib/code.txt"))
        .isEqualTo("x\n");
    assertThat(tree.resolve("src/.git")).doesNotExist();
    assertThat(tree.resolve("vendor/lib/.git")).doesNotExist();

    // when
    fixture.activities.reset(
        new ResetRequest(workspace, workspace.baseSha(), "undo the sandbox's work"));

    // then
    assertThat(canaries()).isEmpty();
    assertThat(read(tree.resolve(".git")))
        .isEqualTo(
            "gitdir: " + fixture.repository.toRealPath().resolve(".git/worktrees/loop-one") + "\n");
    assertThat(tree.resolve(".evil-git")).doesNotExist();
    assertThat(tree.resolve("src/.git")).doesNotExist();
    assertThat(tree.resolve(".gitattributes")).doesNotExist();
    assertThat(git(fixture.repository, "rev-parse", "refs/heads/forge/loop-one").strip())
        .isEqualTo(workspace.baseSha());
  }

  @Test
  void shouldIgnoreGitDirectoryPlantedInPlaceOfTheGitFile() throws IOException {
    // given the worst case: the .git file replaced by a repository the sandbox controls
    Files.delete(tree.resolve(".git"));
    plantGitDirectory(tree.resolve(".git"));
    plantEverywhere();
    write(tree.resolve("data.txt"), "work\n");

    // when
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);
    fixture.activities.reset(
        new ResetRequest(workspace, checkpoint.sha(), "keep the work, drop the rest"));

    // then
    assertThat(canaries()).isEmpty();
    assertThat(git(fixture.repository, "rev-parse", "refs/heads/forge/loop-one").strip())
        .isEqualTo(checkpoint.sha());
    assertThat(git(fixture.repository, "ls-tree", "-r", "--name-only", checkpoint.sha()))
        .doesNotContain(".git/");
    assertThat(Files.isRegularFile(tree.resolve(".git"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(read(tree.resolve("data.txt"))).isEqualTo("work\n");
  }

  @Test
  void shouldNotRunTheRepositorysOwnHooksEither() throws IOException {
    // given hooks in the user's real repository
    for (String hook : HOOKS) {
      executable(
          fixture.repository.resolve(".git/hooks/" + hook),
          "#!/bin/sh\ntouch " + canaries.resolve("real-" + hook) + "\n");
    }
    write(tree.resolve("data.txt"), "work\n");

    // when
    Workspace other = fixture.prepare("loop-two");
    Checkpoint checkpoint = fixture.checkpoint(workspace, 1);
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "undo"));

    // then
    assertThat(canaries()).isEmpty();
    assertThat(checkpoint.created()).isTrue();
    assertThat(other.baseSha()).isEqualTo(workspace.baseSha());
  }

  /** Runs plain git in the work tree as a person would, to show each payload fires when read. */
  private void proveThePayloadsWork() throws IOException {
    TestRepos.run(tree, "-c", "safe.directory=*", "status");
    TestRepos.run(tree, "-c", "safe.directory=*", "add", "data.txt");
    TestRepos.run(tree, "-c", "safe.directory=*", "commit", "-q", "-m", "x");
    assertThat(canaries()).contains("fsmonitor", "filter-clean", "hook-pre-commit");
    try (Stream<Path> files = Files.list(canaries)) {
      for (Path canary : files.toList()) {
        Files.delete(canary);
      }
    }
  }

  /** Plants attributes and nested git directories in every kind of place the sandbox can write. */
  private void plantEverywhere() throws IOException {
    write(tree.resolve(".gitattributes"), "* filter=evil diff=evil merge=evil\n");
    write(tree.resolve("src/.gitattributes"), "* filter=evil\n");
    plantGitDirectory(tree.resolve("src/.git"));
    plantGitDirectory(tree.resolve("vendor/lib/.git"));
    write(tree.resolve("vendor/lib/code.txt"), "x\n");
    write(
        tree.resolve(".gitmodules"),
        "[submodule \"lib\"]\n\tpath = vendor/lib\n\turl = ext::sh -c touch% "
            + canaries.resolve("ext")
            + "\n");
  }

  private Path plantGitDirectory(Path gitDir) throws IOException {
    TestRepos.git(temp, "init", "--quiet", "--bare", gitDir.toString());
    Path hooks = Files.createDirectories(gitDir.resolve("evil-hooks"));
    for (String hook : HOOKS) {
      executable(
          hooks.resolve(hook), "#!/bin/sh\ntouch " + canaries.resolve("hook-" + hook) + "\n");
      executable(
          gitDir.resolve("hooks/" + hook),
          "#!/bin/sh\ntouch " + canaries.resolve("hook-" + hook) + "\n");
    }
    Path fsmonitor =
        executable(
            scripts.resolve("fsmonitor"),
            "#!/bin/sh\ntouch " + canaries.resolve("fsmonitor") + "\n");
    Path filter =
        executable(
            scripts.resolve("filter"),
            "#!/bin/sh\ntouch " + canaries + "/$1\ncat >/dev/null\necho filtered\n");
    Files.writeString(
        gitDir.resolve("config"),
        "[core]\n\tbare = false\n\tworktree = "
            + tree
            + "\n\tfsmonitor = "
            + fsmonitor
            + "\n\thooksPath = "
            + hooks
            + "\n\tsshCommand = "
            + fsmonitor
            + "\n\tpager = "
            + fsmonitor
            + "\n\teditor = "
            + fsmonitor
            + "\n[filter \"evil\"]\n\tclean = "
            + filter
            + " filter-clean\n\tsmudge = "
            + filter
            + " filter-smudge"
            + "\n\trequired = true\n[diff \"evil\"]\n\ttextconv = "
            + filter
            + " textconv\n[merge \"evil\"]\n\tdriver = "
            + filter
            + " merge\n[protocol]\n\tallow = always\n");
    return gitDir;
  }

  private static Path executable(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private List<String> canaries() throws IOException {
    try (Stream<Path> files = Files.list(canaries)) {
      return files.map(path -> path.getFileName().toString()).toList();
    }
  }
}
