package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs root, as Forge in production: only root can hand files to another user. */
class WorkspaceOwnershipIT {

  @TempDir Path temp;

  @BeforeEach
  void requireRoot() throws IOException {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root");
  }

  @Test
  void shouldHandEveryFileButTheGitFileToTheSandboxUser() throws IOException {
    // given a repository holding a symbolic link that points outside of it
    Path outside = Files.writeString(temp.resolve("outside.txt"), "host file\n");
    WorkspaceFixture fixture = new WorkspaceFixture(temp, WorkspaceFixture.ROOT);
    Files.createSymbolicLink(fixture.repository.resolve("link"), outside);
    TestRepos.commitAll(fixture.repository, "add link");

    // when
    Workspace workspace = fixture.prepare("loop-one");

    // then
    Path tree = WorkspaceFixture.path(workspace);
    Path pointer = tree.resolve(".git");
    List<Path> entries = entries(tree);
    assertThat(entries).contains(tree, tree.resolve("src/App.java"), tree.resolve("link"));
    assertThat(entries)
        .filteredOn(path -> !path.equals(pointer))
        .allSatisfy(path -> assertThat(owner(path)).as(path.toString()).isEqualTo("1000:1000"));
    assertThat(owner(pointer)).isEqualTo("0:0");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(pointer, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-r--r--");
    assertThat(owner(outside)).isEqualTo("0:0");
  }

  @Test
  void shouldHandBackFilesThatResetRecreated() throws IOException {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp, WorkspaceFixture.ROOT);
    Workspace workspace = fixture.prepare("loop-one");
    Path tree = WorkspaceFixture.path(workspace);
    Files.delete(tree.resolve("src/App.java"));
    Files.delete(tree.resolve("src"));
    fixture.checkpoint(workspace, 1);

    // when
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "undo"));

    // then
    assertThat(owner(tree.resolve("src"))).isEqualTo("1000:1000");
    assertThat(owner(tree.resolve("src/App.java"))).isEqualTo("1000:1000");
    assertThat(owner(tree.resolve(".git"))).isEqualTo("0:0");
  }

  @Test
  void shouldLeaveOwnershipAloneWhenForgeIsNotRoot() throws IOException {
    // given
    WorkspaceFixture fixture = new WorkspaceFixture(temp, WorkspaceFixture.NOT_ROOT);

    // when
    Workspace workspace = fixture.prepare("loop-one");
    write(WorkspaceFixture.path(workspace).resolve("new.txt"), "n\n");
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "undo"));

    // then
    assertThat(entries(WorkspaceFixture.path(workspace)))
        .allSatisfy(path -> assertThat(owner(path)).isEqualTo("0:0"));
  }

  private static List<Path> entries(Path tree) throws IOException {
    try (Stream<Path> walk = Files.walk(tree)) {
      return walk.toList();
    }
  }

  private static String owner(Path path) {
    try {
      Map<String, Object> ids =
          Files.readAttributes(path, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
      return ids.get("uid") + ":" + ids.get("gid");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
