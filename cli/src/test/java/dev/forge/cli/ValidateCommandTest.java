package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int validate(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "validate";
    System.arraycopy(args, 0, all, 1, args.length);
    return ForgeCli.run(all, Map.of(), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldAcceptTheRepositorysAnnotatedForgeYml() {
    // The example every user starts from, at the root of this repository.
    Path example = Path.of("..", "forge.yml").toAbsolutePath().normalize();

    assertThat(validate(example.toString())).isZero();
    assertThat(out()).contains("valid");
  }

  @Test
  void shouldPrintEveryRefusalAsPathRuleDetailAndExitOne() throws IOException {
    Path file = dir.resolve("forge.yml");
    Files.writeString(file, """
        version: 1
        loop:
          agent: {command: [claude, -p]}
          max_iteratons: 5
        sandbox:
          image: forge/sandbox:latest
          network: {mode: none, allowed: ["pkgs.example:443"]}
        """);

    assertThat(validate(file.toString())).isEqualTo(1);
    assertThat(out().lines().toList()).hasSize(4)
        .anySatisfy(line -> assertThat(line).startsWith("loop.max_iteratons: unknown: ")
            .endsWith("(did you mean 'max_iterations'?)"))
        .contains("loop.cost_cap_usd: required: is required: the most this loop may spend in US"
            + " dollars, e.g. 10.00")
        .anySatisfy(line -> assertThat(line).startsWith("sandbox.image: format: must be pinned"))
        .anySatisfy(line -> assertThat(line).startsWith("sandbox.network.allowed: conflict: "));
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not valid");
  }

  @Test
  void shouldExitTwoForAFileItCannotRead() throws IOException {
    Path binary = dir.resolve("binary.yml");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});

    assertThat(validate(dir.resolve("missing.yml").toString())).isEqualTo(2);
    assertThat(validate(dir.toString())).isEqualTo(2);
    assertThat(validate(binary.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file")
        .contains("not a regular file").contains("not UTF-8");
  }

  @Test
  void shouldReportASyntaxErrorWithItsLineAsARefusal() throws IOException {
    Path file = dir.resolve("forge.yml");
    Files.writeString(file, "version: 1\nloop: [unclosed\n");

    assertThat(validate(file.toString())).isEqualTo(1);
    assertThat(out()).startsWith("forge.yml: syntax: is not valid YAML at line");
  }
}
