package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No oracle in {@link RepositoryPolicy#resolve}: every path that does not lead into an allowed
 * root gets one and the same refusal, whether it exists, is a file or a directory, a git
 * repository, or reached through a link; only inside a root does the answer say more. Real files
 * and real symbolic links.
 */
class RepositoryPathTest {

  @TempDir
  Path tmp;

  private Path roots;
  private Path outside;
  private RepositoryPolicy policy;

  @BeforeEach
  void createRootAndSurroundings() throws IOException {
    roots = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
    Files.createDirectories(roots.resolve("repo/.git"));
    Files.createDirectories(roots.resolve("plain"));
    outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
    Files.createDirectories(outside.resolve("other-repo/.git"));
    Files.writeString(outside.resolve("shadow"), "secret");
    Files.createSymbolicLink(roots.resolve("to-outside"), outside);
    Files.createSymbolicLink(roots.resolve("dangling-out"), outside.resolve("nothing-here"));
    Files.createSymbolicLink(roots.resolve("loop-a"), roots.resolve("loop-b"));
    Files.createSymbolicLink(roots.resolve("loop-b"), roots.resolve("loop-a"));
    policy = new RepositoryPolicy(List.of(roots.toString()));
  }

  private FieldError refusal(String path) {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> policy.resolve(path));
    assertThat(e).as("expected %s to be refused", path).isNotNull();
    assertThat(e.errors()).hasSize(1);
    return e.errors().get(0);
  }

  @Test
  void shouldAnswerEveryPathOutsideTheRootsAlikeWhetherOrNotItExists() {
    // given paths outside: existing and not, file and directory, a git repository, through links
    List<String> paths = List.of("/etc/shadow", "/etc/shadow-x", "/etc", "/no/such/dir",
        outside.resolve("shadow").toString(), outside.resolve("shadow-x").toString(),
        outside.resolve("other-repo").toString(), roots.resolve("to-outside/shadow").toString(),
        roots.resolve("to-outside/shadow-x").toString(),
        roots.resolve("to-outside/other-repo").toString(),
        roots.resolve("dangling-out").toString(), roots.resolve("dangling-out/x").toString(),
        roots.resolve("loop-a").toString());

    // when each is asked for, then each answer is the same, naming neither the path nor a root
    FieldError first = refusal(paths.get(0));
    assertThat(first.field()).isEqualTo("repository");
    assertThat(first.rule()).isEqualTo("outside_root");
    assertThat(first.message()).doesNotContain(roots.toString()).doesNotContain(tmp.toString())
        .doesNotContain("/etc");
    for (String path : paths) {
      assertThat(refusal(path)).as(path).isEqualTo(first);
    }
  }

  @Test
  void shouldSayMoreInsideARoot() {
    assertThat(refusal(roots.resolve("missing").toString()).message()).contains("does not exist");
    assertThat(refusal(roots.resolve("plain").toString()).rule()).isEqualTo("git");
  }

  @Test
  void shouldAcceptALinkFromOutsideIntoARootAsItsRealPath() throws IOException {
    Path link = Files.createSymbolicLink(outside.resolve("shortcut"), roots.resolve("repo"));

    assertThat(policy.resolve(link.toString())).isEqualTo(roots.resolve("repo"));
  }
}
