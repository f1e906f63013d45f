package dev.forge.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.spec.sandbox.SandboxMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activity's re-check of mounts before each step names the rule and the source as the config
 * wrote it, never a resolved host path: neither the worker user's home nor the work tree shows.
 */
class MountResolverTest {

  @TempDir
  Path root;

  private Path home;
  private Path workTree;
  private MountResolver resolver;

  @BeforeEach
  void createHomeAndWorkTree() throws IOException {
    home = Files.createDirectories(root.resolve("home-of-worker")).toRealPath();
    Files.createDirectories(home.resolve(".ssh"));
    workTree = Files.createDirectories(home.resolve("work/loop-1")).toRealPath();
    resolver = new MountResolver(home);
  }

  @Test
  void shouldRefuseALinkToTheHomesSshWithoutNamingTheHome() throws IOException {
    Files.createSymbolicLink(workTree.resolve("keys"), home.resolve(".ssh"));

    assertThatThrownBy(() -> resolver.resolve(workTree,
        List.of(new SandboxMount("keys", "/keys", true))))
        .hasMessageContaining("mount source 'keys' is not inside the work tree")
        .hasMessageNotContaining(home.toString())
        .hasMessageNotContaining("home-of-worker");
  }

  @Test
  void shouldRefuseCredentialsInsideTheWorkTreeByTheirNameInTheHome() throws IOException {
    // given a work tree that is the home itself (a misconfiguration the re-check still catches)
    MountResolver homeAsTree = new MountResolver(workTree);
    Files.createDirectories(workTree.resolve(".aws"));

    assertThatThrownBy(() -> homeAsTree.resolve(workTree,
        List.of(new SandboxMount(".aws", "/aws", true))))
        .hasMessageContaining("mount source '.aws' would expose ~/.aws")
        .hasMessageNotContaining(workTree.toString());
  }
}
