package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimal;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static dev.forge.spec.config.ConfigFixtures.parseYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.sandbox.SandboxMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code sandbox.mounts}. */
class MountRulesTest {

  private static final String READ_ONLY = "sandbox.mounts.read_only";
  private static final String ENTRY = READ_ONLY + "[0]";

  private static Map<String, Object> readOnly(Object... entries) {
    return minimalWith("sandbox.mounts", map("read_only", list(entries)));
  }

  private static List<SandboxMount> mounts(Map<String, Object> tree) {
    return parse(tree).config().sandbox().mounts();
  }

  /** The single error of mounting only {@code entry} read-only. */
  private static Refusal entryError(Object entry, String rule) {
    return onlyError(readOnly(entry), ENTRY, rule);
  }

  @Test
  void shouldMountNothingByDefault() {
    assertThat(mounts(minimal())).isEmpty();
    assertThat(mounts(minimalWith("sandbox.mounts", map()))).isEmpty();
    assertThat(mounts(minimalWith("sandbox.mounts", map("read_only", list(), "read_write", null))))
        .isEmpty();
  }

  @Test
  void shouldListReadOnlyMountsFirstEachInWrittenOrder() {
    List<SandboxMount> mounts = mounts(minimalWith("sandbox.mounts", map(
        "read_write", list("build-cache:/cache", "out"),
        "read_only", list("tests", "fixtures:/data", "docs/api"))));

    assertThat(mounts).containsExactly(
        new SandboxMount("tests", "/workspace/tests", true),
        new SandboxMount("fixtures", "/data", true),
        new SandboxMount("docs/api", "/workspace/docs/api", true),
        new SandboxMount("build-cache", "/cache", false),
        new SandboxMount("out", "/workspace/out", false));
  }

  @Test
  void shouldReadMountsFromYaml() {
    String yaml = ConfigFixtures.MINIMAL_YAML + """
          mounts:
            read_only: [tests]
            read_write: ["build-cache:/home/forge/.cache"]
        """;

    assertThat(parseYaml(yaml).config().sandbox().mounts()).containsExactly(
        new SandboxMount("tests", "/workspace/tests", true),
        new SandboxMount("build-cache", "/home/forge/.cache", false));
  }

  @ParameterizedTest
  @CsvSource({
      "tests, tests, /workspace/tests",
      "./tests, tests, /workspace/tests",
      "tests/, tests, /workspace/tests",
      "a//b/./c, a/b/c, /workspace/a/b/c",
      "my dir, my dir, /workspace/my dir",
      ".github/workflows, .github/workflows, /workspace/.github/workflows",
      ".gitignore, .gitignore, /workspace/.gitignore",
      "sub/.git, sub/.git, /workspace/sub/.git",
      "x:/tmpdata, x, /tmpdata",
      "x:/devices, x, /devices",
      "x:/procedures, x, /procedures",
      "x:/workspace/x-copy, x, /workspace/x-copy",
      "x:/workspace/.github, x, /workspace/.github",
      "x:/tmp/x, x, /tmp/x",
      "x:/home/forge/data, x, /home/forge/data"})
  void shouldNormaliseTheSourceAndDeriveTheTarget(String entry, String source, String target) {
    assertThat(mounts(readOnly(entry))).containsExactly(new SandboxMount(source, target, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc", "/etc:/etc", "~/projects", "~:/home", "../other",
      "tests/../../other", "a/..", "..:/up", "", ":/data", ".", "./", "./.", ".:/repo", "  "})
  void shouldRefuseSourcesOutsideOrAsWideAsTheRepository(String entry) {
    entryError(entry, "path");
  }

  @Test
  void shouldSayWhatIsWrongWithASource() {
    assertThat(entryError("/etc", "path").detail()).contains("relative to the repository root");
    assertThat(entryError("../other", "path").detail()).contains("no '..' segment");
    assertThat(entryError(".", "path").detail())
        .contains("the whole repository is already mounted at /workspace");
    assertThat(entryError(":/data", "path").detail()).contains("must start with a path");
    assertThat(entryError("a\\b", "path").detail()).contains("not backslashes");
    assertThat(entryError("C:\\repo", "path").detail()).contains("not backslashes");
    assertThat(entryError("a\u0000b", "path").detail()).contains("control characters");
    assertThat(entryError("a\nb", "path").detail()).contains("control characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {".git", ".git/", "./.git", ".git/hooks", ".git/hooks:/hooks", ".GIT",
      ".Git/config", ".git:/data"})
  void shouldRefuseTheGitDirectory(String entry) {
    assertThat(entryError(entry, "reserved").detail())
        .contains(".git is mounted read-only by Forge itself");
  }

  @ParameterizedTest
  @ValueSource(strings = {".ssh", "home/.ssh/id_ed25519", "x/.aws", ".aws:/creds", ".gnupg",
      ".docker/config.json", "deploy/.kube", ".npmrc", ".netrc", ".gitconfig", "run/docker.sock",
      "docker.sock:/var/run/docker.sock", ".SSH", "a/.Docker/b"})
  void shouldNeverMountCredentialsOrTheDockerSocket(String entry) {
    assertThat(entryError(entry, "forbidden").detail()).contains("are never mountable");
  }

  @Test
  void shouldNotMistakeSimilarNamesForCredentials() {
    assertThat(mounts(readOnly("ssh", ".ssh-notes", "docs/aws", "docker.sock.md", "kube")))
        .extracting(SandboxMount::source)
        .containsExactly("ssh", ".ssh-notes", "docs/aws", "docker.sock.md", "kube");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x:data", "x:", "x:~/data", "x:/data/", "x://data", "x:/data//y",
      "x:/a/../b", "x:/a/./b", "x:/..", "x:/.", "x:/data:/other"})
  void shouldRequireANormalisedAbsoluteTarget(String entry) {
    assertThat(entryError(entry, "path").detail()).contains("after ':'");
  }

  @ParameterizedTest
  @CsvSource({
      "x:/, root file system",
      "x:/proc, /proc belongs to the kernel",
      "x:/proc/self, /proc belongs to the kernel",
      "x:/sys, /sys belongs to the kernel",
      "x:/sys/fs/cgroup, /sys belongs to the kernel",
      "x:/dev, /dev belongs to the kernel",
      "x:/dev/shm, /dev belongs to the kernel",
      "x:/workspace, the whole repository is mounted there already",
      "x:/workspace/.git, .git there",
      "x:/workspace/.git/hooks, .git there",
      "x:/tmp, tmpfs"})
  void shouldRefuseReservedTargets(String entry, String reason) {
    assertThat(entryError(entry, "reserved").detail()).startsWith("cannot mount at ")
        .contains(reason);
  }

  @Test
  void shouldRefuseTwoMountsAtOneTarget() {
    Refusal error = onlyError(minimalWith("sandbox.mounts", map(
        "read_only", list("tests", "fixtures:/data"),
        "read_write", list("other:/data"))), "sandbox.mounts.read_write[0]", "duplicate");

    assertThat(error.detail()).isEqualTo("mounts at /data, as sandbox.mounts.read_only[1] does"
        + " already; each mount needs a target of its own");
    onlyError(minimalWith("sandbox.mounts", map("read_only", list("tests"), "read_write",
        list("tests"))), "sandbox.mounts.read_write[0]", "duplicate");
    onlyError(readOnly("tests", "./tests/"), READ_ONLY + "[1]", "duplicate");
    onlyError(readOnly("tests", "other:/workspace/tests"), READ_ONLY + "[1]", "duplicate");
  }

  @Test
  void shouldAllowOneSourceAtTwoTargets() {
    assertThat(mounts(readOnly("tests", "tests:/tests"))).hasSize(2);
  }

  @Test
  void shouldAllowAtMost32Mounts() {
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      many.add("dir" + i);
    }

    assertThat(mounts(readOnly(many.subList(0, 32).toArray()))).hasSize(32);
    assertThat(errorFor(READ_ONLY, many, "range").detail())
        .isEqualTo("must have at most 32 items, got 33");
    Refusal error = onlyError(minimalWith("sandbox.mounts", map(
        "read_only", many.subList(0, 20), "read_write", many.subList(20, 33))),
        "sandbox.mounts", "range");
    assertThat(error.detail()).isEqualTo("must have at most 32 mounts in all, got 33");
  }

  @Test
  void shouldRefuseEntriesThatAreTooLong() {
    assertThat(entryError("a".repeat(1025), "range").detail())
        .isEqualTo("must be at most 1024 characters, got 1025");
  }

  @Test
  void shouldRefuseWrongShapes() {
    assertThat(errorFor("sandbox.mounts", list("tests"), "type").detail())
        .contains("must be a mapping of read_only, read_write");
    errorFor("sandbox.mounts", "tests", "type");
    errorFor(READ_ONLY, "tests", "type");
    errorFor("sandbox.mounts.read_write", map("tests", "/tests"), "type");
    entryError(5, "type");
    entryError(true, "type");
    entryError(null, "type");
    assertThat(entryError(map("source", "tests"), "type").detail()).contains("got a mapping");
    assertThat(errorFor("sandbox.mounts.readonly", list("tests"), "unknown").detail())
        .contains("did you mean 'read_only'?");
  }

  @Test
  void shouldReportEveryBadMount() {
    assertThat(errors(minimalWith("sandbox.mounts", map(
        "read_only", list("tests", "/etc", ".git", ".ssh", "x:/proc"),
        "read_write", list("y:relative", "tests")))))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(
            tuple(READ_ONLY + "[1]", "path"),
            tuple(READ_ONLY + "[2]", "reserved"),
            tuple(READ_ONLY + "[3]", "forbidden"),
            tuple(READ_ONLY + "[4]", "reserved"),
            tuple("sandbox.mounts.read_write[0]", "path"),
            tuple("sandbox.mounts.read_write[1]", "duplicate"));
  }
}
