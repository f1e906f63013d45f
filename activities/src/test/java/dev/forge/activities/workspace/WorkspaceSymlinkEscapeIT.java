package dev.forge.activities.workspace;

import static dev.forge.activities.workspace.TestRepos.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.forge.workflows.workspace.ResetRequest;
import dev.forge.workflows.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox replaces a tracked directory with a link to a host directory and plants more links,
 * hoping that Forge, running as root, writes, deletes or hands over files through them.
 */
class WorkspaceSymlinkEscapeIT {

  @TempDir Path temp;

  @Test
  void shouldNotWriteDeleteOrChownThroughPlantedLinks() throws IOException {
    // given
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root");
    Path host = Files.createDirectories(temp.resolve("host"));
    Files.writeString(host.resolve("App.java"), "host file\n");
    Files.writeString(host.resolve("precious.txt"), "keep me\n");
    WorkspaceFixture fixture = new WorkspaceFixture(temp, WorkspaceFixture.ROOT);
    Workspace workspace = fixture.prepare("loop-one");
    Path tree = WorkspaceFixture.path(workspace);
    FileTrees.deleteRecursively(tree.resolve("src"));
    Files.createSymbolicLink(tree.resolve("src"), host);
    Files.createSymbolicLink(tree.resolve("escape"), host);
    fixture.checkpoint(workspace, 1);

    // when
    fixture.activities.reset(new ResetRequest(workspace, workspace.baseSha(), "undo"));

    // then the work tree is whole again and the host directory is untouched
    assertThat(Files.isSymbolicLink(tree.resolve("src"))).isFalse();
    assertThat(read(tree.resolve("src/App.java"))).isEqualTo("class App {}\n");
    assertThat(Files.exists(tree.resolve("escape"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(read(host.resolve("App.java"))).isEqualTo("host file\n");
    assertThat(read(host.resolve("precious.txt"))).isEqualTo("keep me\n");
    Map<String, Object> owner = Files.readAttributes(host.resolve("precious.txt"), "unix:uid,gid");
    assertThat(owner).containsEntry("uid", 0).containsEntry("gid", 0);
  }
}
