package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import dev.forge.workflows.loop.LoopRequest;
import dev.forge.spec.sandbox.SandboxMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository-side check of {@code sandbox.mounts} when a loop starts: each source, symlinks
 * resolved, must stay inside the repository, out of its .git and away from the worker user's
 * credentials. Uses a real directory tree with real symlinks.
 */
class MountPolicyTest {

  private static final ApiUser CALLER = new ApiUser("dev", Set.of(Role.ENGINEER), List.of());

  @TempDir
  Path root;

  private Path repo;
  private Path outside;
  private Path home;
  private RepositoryPolicy policy;

  @BeforeEach
  void createRepositoryAndSurroundings() throws IOException {
    Path allowed = Files.createDirectories(root.resolve("projects"));
    repo = Files.createDirectories(allowed.resolve("repo")).toRealPath();
    Files.createDirectories(repo.resolve(".git/hooks"));
    Files.createDirectories(repo.resolve("tests"));
    Files.writeString(repo.resolve("tests/run.sh"), "echo ok\n", StandardCharsets.UTF_8);
    outside = Files.createDirectories(root.resolve("outside")).toRealPath();
    home = Files.createDirectories(root.resolve("home")).toRealPath();
    Files.createDirectories(home.resolve(".ssh"));
    Files.createDirectories(home.resolve(".aws"));
    policy = new RepositoryPolicy(List.of(allowed.toString()), home);
  }

  private List<FieldError> refusals(SandboxMount... mounts) {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> policy.checkMounts(repo, List.of(mounts), "config."));
    assertThat(e).as("expected the mounts to be refused").isNotNull();
    return e.errors();
  }

  private FieldError onlyRefusal(SandboxMount mount, String rule) {
    List<FieldError> errors = refusals(mount);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).field()).isEqualTo("config.sandbox.mounts.read_only[0]");
    assertThat(errors.get(0).rule()).as("rule of %s", errors.get(0)).isEqualTo(rule);
    return errors.get(0);
  }

  private static SandboxMount readOnly(String source) {
    return new SandboxMount(source, "/workspace/" + source, true);
  }

  @Test
  void shouldAcceptMountsInsideTheRepository() throws IOException {
    Files.createSymbolicLink(repo.resolve("checks"), repo.resolve("tests"));
    Files.createSymbolicLink(repo.resolve("relative-checks"), Path.of("tests"));

    policy.checkMounts(repo, List.of(readOnly("tests"), readOnly("tests/run.sh"),
        readOnly("checks"), readOnly("relative-checks"),
        new SandboxMount("tests", "/tests", false)), "config.");
  }

  @Test
  void shouldAcceptASourceThatDoesNotExistYet() {
    policy.checkMounts(repo, List.of(readOnly("build-cache"), readOnly("tests/new/dir")),
        "config.");
  }

  @Test
  void shouldRefuseASymlinkLeadingOutsideTheRepository() throws IOException {
    Files.createSymbolicLink(repo.resolve("escape"), outside);

    FieldError error = onlyRefusal(readOnly("escape"), "outside_root");

    assertThat(error.message()).startsWith("'escape' leads outside the repository")
        .doesNotContain(outside.toString()).doesNotContain(root.toString());
  }

  @Test
  void shouldRefuseAPathBelowASymlinkLeadingOutsideEvenWhenItDoesNotExist() throws IOException {
    Files.createSymbolicLink(repo.resolve("escape"), outside);
    Files.createDirectories(outside.resolve("data"));

    onlyRefusal(readOnly("escape/data"), "outside_root");
    onlyRefusal(readOnly("escape/not/yet"), "outside_root");
  }

  @Test
  void shouldRefuseARelativeSymlinkClimbingOut() throws IOException {
    Files.createDirectories(repo.resolve("docs"));
    Files.createSymbolicLink(repo.resolve("docs/up"), Path.of("../../../outside"));

    onlyRefusal(readOnly("docs/up"), "outside_root");
  }

  @Test
  void shouldRefuseASymlinkIntoGit() throws IOException {
    Files.createSymbolicLink(repo.resolve("hooks"), repo.resolve(".git/hooks"));

    FieldError error = onlyRefusal(readOnly("hooks"), "reserved");

    assertThat(error.message()).contains("the repository's .git");
  }

  @Test
  void shouldRefuseASymlinkToTheRepositoryRootWhichHoldsGit() throws IOException {
    Files.createSymbolicLink(repo.resolve("everything"), Path.of("."));

    onlyRefusal(new SandboxMount("everything", "/all", true), "reserved");
  }

  @Test
  void shouldRefuseLinksToTheWorkerUsersCredentialsAsLeavingTheRepositoryWithoutNamingTheHome()
      throws IOException {
    Files.createSymbolicLink(repo.resolve("keys"), home.resolve(".ssh"));
    Files.createSymbolicLink(repo.resolve("cloud"), home.resolve(".aws"));
    Files.createSymbolicLink(repo.resolve("home"), home);
    Files.createSymbolicLink(repo.resolve("kube"), home.resolve(".kube"));
    Files.createSymbolicLink(repo.resolve("elsewhere"), outside);

    String keys = onlyRefusal(readOnly("keys"), "outside_root").message();
    assertThat(keys).startsWith("'keys' leads outside the repository").doesNotContain(home.toString());
    // a link to ~/.ssh is answered like any other way out: no probing where the home lies
    assertThat(keys.replace("'keys'", "'x'")).isEqualTo(
        onlyRefusal(readOnly("elsewhere"), "outside_root").message().replace("'elsewhere'", "'x'"));
    onlyRefusal(readOnly("cloud"), "outside_root");
    assertThat(onlyRefusal(readOnly("home"), "outside_root").message()).doesNotContain(home.toString());
    // ~/.kube does not exist yet: it is refused all the same.
    onlyRefusal(readOnly("kube"), "outside_root");
  }

  @Test
  void shouldRefuseCredentialsInsideTheRepositoryByTheirNameInTheHome() throws IOException {
    // given a repository that is the worker user's home itself
    Files.createDirectories(home.resolve(".git"));
    RepositoryPolicy homeAsRoot = new RepositoryPolicy(List.of(root.toString()), home);

    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> homeAsRoot.checkMounts(home, List.of(readOnly(".ssh"), readOnly("projects")), "config."));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("config.sandbox.mounts.read_only[0]", "forbidden"));
    assertThat(e.errors().get(0).message()).startsWith("'.ssh' is or holds ~/.ssh")
        .doesNotContain(home.toString());
  }

  @Test
  void shouldRefuseTheDockerSocket() throws IOException {
    Files.createSymbolicLink(repo.resolve("sock"), Path.of("/var/run/docker.sock"));
    Files.createSymbolicLink(repo.resolve("run"), Path.of("/run"));

    onlyRefusal(readOnly("sock"), "outside_root");
    onlyRefusal(readOnly("run"), "outside_root");
  }

  @Test
  void shouldReportEveryRefusedMountUnderItsOwnField() throws IOException {
    Files.createSymbolicLink(repo.resolve("escape"), outside);
    Files.createSymbolicLink(repo.resolve("hooks"), repo.resolve(".git/hooks"));

    List<FieldError> errors = refusals(readOnly("tests"), readOnly("escape"),
        new SandboxMount("cache", "/cache", false), new SandboxMount("hooks", "/hooks", false));

    assertThat(errors).extracting(FieldError::field, FieldError::rule).containsExactly(
        tuple("config.sandbox.mounts.read_only[1]", "outside_root"),
        tuple("config.sandbox.mounts.read_write[1]", "reserved"));
  }

  @Test
  void shouldRefuseAnEscapingMountWhenALoopStartsWithAnInlineConfig() throws IOException {
    Files.createSymbolicLink(repo.resolve("escape"), outside);
    StartLoopReader reader = new StartLoopReader(policy, new ForgeConfigParser(),
        new dev.forge.api.policy.LoopPolicy(dev.forge.api.policy.PolicyProperties.defaults(),
            java.util.Set.of(), java.util.Optional.empty()));
    Map<String, Object> body = body(Map.of("read_only", List.of("tests"),
        "read_write", List.of("escape:/data")));

    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> reader.read(StartLoopBody.of(body), "loop-abc123def4", CALLER));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("config.sandbox.mounts.read_write[0]", "outside_root"));
  }

  @Test
  void shouldRefuseAnEscapingMountNamedInTheRepositorysForgeYml() throws IOException {
    Files.createSymbolicLink(repo.resolve("escape"), outside);
    Files.writeString(repo.resolve("forge.yml"), """
        version: 1
        loop:
          agent:
            command: [agent, "{prompt}"]
          cost_cap_usd: 1
        sandbox:
          image: forge/sandbox:0.1.0-bookworm
          mounts:
            read_only: [escape]
        """, StandardCharsets.UTF_8);
    StartLoopReader reader = new StartLoopReader(policy, new ForgeConfigParser(),
        new dev.forge.api.policy.LoopPolicy(dev.forge.api.policy.PolicyProperties.defaults(),
            java.util.Set.of(), java.util.Optional.empty()));
    Map<String, Object> body = Map.of("repository", repo.toString(), "goal", "fix it");

    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> reader.read(StartLoopBody.of(body), "loop-abc123def4", CALLER));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("forge.yml:sandbox.mounts.read_only[0]", "outside_root"));
  }

  @Test
  void shouldStartALoopWithMountsThatStayInside() {
    StartLoopReader reader = new StartLoopReader(policy, new ForgeConfigParser(),
        new dev.forge.api.policy.LoopPolicy(dev.forge.api.policy.PolicyProperties.defaults(),
            java.util.Set.of(), java.util.Optional.empty()));

    LoopRequest request = reader.read(StartLoopBody.of(body(Map.of("read_only", List.of("tests")))),
        "loop-abc123def4", CALLER);

    assertThat(request.config().sandbox().mounts())
        .containsExactly(new SandboxMount("tests", "/workspace/tests", true));
  }

  private Map<String, Object> body(Map<String, Object> mounts) {
    Map<String, Object> sandbox = new LinkedHashMap<>();
    sandbox.put("image", "forge/sandbox:0.1.0-bookworm");
    sandbox.put("mounts", mounts);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("version", 1);
    config.put("loop", Map.of("agent", Map.of("command", List.of("agent", "{prompt}")),
        "cost_cap_usd", 1));
    config.put("sandbox", sandbox);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("repository", repo.toString());
    body.put("goal", "fix it");
    body.put("config", config);
    return body;
  }
}
