package dev.forge.spec.config;

import static dev.forge.spec.config.ConfigFixtures.errorFor;
import static dev.forge.spec.config.ConfigFixtures.errors;
import static dev.forge.spec.config.ConfigFixtures.list;
import static dev.forge.spec.config.ConfigFixtures.map;
import static dev.forge.spec.config.ConfigFixtures.minimalWith;
import static dev.forge.spec.config.ConfigFixtures.minimalWithout;
import static dev.forge.spec.config.ConfigFixtures.onlyError;
import static dev.forge.spec.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.spec.Refusal;
import dev.forge.spec.sandbox.SandboxLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code sandbox:}. */
class SandboxRulesTest {

  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void shouldRequireTheSandboxAndItsImage() {
    assertThat(onlyError(minimalWithout("sandbox"), "sandbox", "required").detail())
        .contains("every loop runs in a sandbox");
    onlyError(minimalWithout("sandbox.image"), "sandbox.image", "required");
    errorFor("sandbox", "docker", "type");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "forge/sandbox:0.1.0-bookworm",
      "ubuntu:24.04",
      "registry.example.com:5000/team/agent_image:v1.2.3",
      "localhost/agent:dev",
      "ghcr.io/org/name@" + DIGEST,
      "ghcr.io/org/name:1.0@" + DIGEST,
      "a.b/c-d/e__f:TAG_1.x"})
  void shouldAcceptPinnedImageReferences(String image) {
    assertThat(parse(minimalWith("sandbox.image", image)).config().sandbox().image()).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"forge/sandbox", "forge/sandbox:latest", "forge/sandbox:LATEST",
      "registry:5000/forge/sandbox", "forge/sandbox:latest@" + DIGEST})
  void shouldRefuseUnpinnedImages(String image) {
    assertThat(errorFor("sandbox.image", image, "format").detail()).contains("must be pinned");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Forge/Sandbox:1.0", "forge//sandbox:1", "forge/sandbox:-1", "forge/sandbox:",
      ":1.0", "forge/sand box:1", "forge/sandbox:1.0:2", "-forge/x:1", "forge/x_:1"})
  void shouldRefuseInvalidImageReferences(String image) {
    assertThat(errorFor("sandbox.image", image, "format").detail()).contains("Docker image reference");
  }

  @Test
  void shouldRefuseABadDigest() {
    assertThat(errorFor("sandbox.image", "forge/x@sha256:abc", "format").detail())
        .contains("@sha256:<64");
    errorFor("sandbox.image", "forge/x@md5:" + "a".repeat(32), "format");
    errorFor("sandbox.image", "forge/x:" + "a".repeat(600), "range");
  }

  @Test
  void shouldReadARuntime() {
    assertThat(parse(minimalWith("sandbox.runtime", "runsc")).config().sandbox().runtime())
        .isEqualTo("runsc");
    assertThat(parse(ConfigFixtures.minimal()).config().sandbox().runtime()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"runsc", "runc", "kata-runtime", "io.containerd.runsc.v1", "nvidia",
      "crun_2", "a"})
  void shouldAcceptRuntimeNames(String runtime) {
    assertThat(parse(minimalWith("sandbox.runtime", runtime)).config().sandbox().runtime())
        .isEqualTo(runtime);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "RunSC", "1runsc", "-runsc", "run sc", "runsc;rm", "/usr/bin/runsc",
      "r\u00e9", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
  void shouldRefuseMalformedRuntimeNames(String runtime) {
    assertThat(errorFor("sandbox.runtime", runtime, "format").detail())
        .contains("OCI runtime").contains("runsc");
  }

  @Test
  void shouldRefuseARuntimeThatIsNotAString() {
    errorFor("sandbox.runtime", true, "type");
    errorFor("sandbox.runtime", list("runsc"), "type");
  }

  @Test
  void shouldReadEveryLimit() {
    SandboxLimits limits = parse(minimalWith("sandbox.limits", map("memory", "512M", "cpu", "0.5",
        "pids", 16, "timeout", "5s", "tmpfs", "1g", "output", "64k", "disk", "20g")))
        .config().sandbox().limits();

    assertThat(limits).isEqualTo(
        new SandboxLimits(512L << 20, 500_000_000L, 16, 5, 1L << 30, 64L << 10, 20L << 30));
  }

  @Test
  void shouldTakeAPlainNumberAsBytes() {
    assertThat(parse(minimalWith("sandbox.limits.memory", 1L << 30)).config().sandbox().limits()
        .memoryBytes()).isEqualTo(1L << 30);
    assertThat(errorFor("sandbox.limits.memory", 2048, "range").detail())
        .isEqualTo("must be between 16m and 64g, got 2048 (a number without a unit is a byte count)");
  }

  @Test
  void shouldCheckSizes() {
    assertThat(errorFor("sandbox.limits.memory", "2x", "format").detail())
        .startsWith("must be a size such as 512m or 2g").endsWith("got '2x'");
    errorFor("sandbox.limits.memory", "65g", "range");
    errorFor("sandbox.limits.memory", "0", "range");
    errorFor("sandbox.limits.memory", "-1g", "format");
    errorFor("sandbox.limits.memory", "1.5g", "format");
    errorFor("sandbox.limits.memory", 1_048_576.5, "format");
    errorFor("sandbox.limits.memory", "99999999999999999999g", "range");
    errorFor("sandbox.limits.memory", list("2g"), "type");
    errorFor("sandbox.limits.tmpfs", "512k", "range");
    errorFor("sandbox.limits.tmpfs", "17g", "range");
    errorFor("sandbox.limits.output", "32k", "range");
    errorFor("sandbox.limits.output", "257m", "range");
  }

  @Test
  void shouldDefaultTheDiskTo10g() {
    assertThat(parse(ConfigFixtures.minimal()).config().sandbox().limits().diskBytes())
        .isEqualTo(10L << 30);
    assertThat(parse(minimalWith("sandbox.limits.disk", "64m")).config().sandbox().limits()
        .diskBytes()).isEqualTo(64L << 20);
    assertThat(parse(minimalWith("sandbox.limits.disk", "1024g")).config().sandbox().limits()
        .diskBytes()).isEqualTo(1L << 40);
  }

  @Test
  void shouldCheckTheDiskSize() {
    assertThat(errorFor("sandbox.limits.disk", "63m", "range").detail())
        .isEqualTo("must be between 64m and 1024g, got '63m'");
    errorFor("sandbox.limits.disk", "1025g", "range");
    errorFor("sandbox.limits.disk", 1024, "range");
    errorFor("sandbox.limits.disk", "1t", "format");
    errorFor("sandbox.limits.disk", "ten gigs", "format");
    errorFor("sandbox.limits.disk", true, "type");
  }

  @Test
  void shouldCheckCpus() {
    assertThat(errorFor("sandbox.limits.cpu", 0.05, "range").detail())
        .isEqualTo("must be between 0.1 and 64, got 0.05");
    errorFor("sandbox.limits.cpu", 65, "range");
    errorFor("sandbox.limits.cpu", "1.2345", "format");
    errorFor("sandbox.limits.cpu", "two", "format");
    errorFor("sandbox.limits.cpu", true, "type");
  }

  @Test
  void shouldCheckPidsAndTimeout() {
    errorFor("sandbox.limits.pids", 15, "range");
    errorFor("sandbox.limits.pids", 32_769, "range");
    errorFor("sandbox.limits.timeout", "4s", "range");
    errorFor("sandbox.limits.timeout", "25h", "range");
    errorFor("sandbox.limits.timeout", "1m30", "format");
  }

  @Test
  void shouldReportEachBadLimit() {
    assertThat(errors(minimalWith("sandbox.limits", map("memory", "lots", "pids", 1, "timeout", 0))))
        .extracting(Refusal::field, Refusal::rule)
        .containsExactly(
            tuple("sandbox.limits.memory", "format"),
            tuple("sandbox.limits.pids", "range"),
            tuple("sandbox.limits.timeout", "format"));
  }
}
