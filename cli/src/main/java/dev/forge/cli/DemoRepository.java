package dev.forge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's repository: a git repository made from {@code examples/textstats} plus the documented
 * {@code forge.yml}, under the allowed root. Made once and reused while its sources are unchanged,
 * so every demo loop starts from the same commit and leaves its own {@code forge/<loop-id>} branch.
 */
final class DemoRepository {

  private static final String STAMP = "forge-demo-source";

  private DemoRepository() {}

  static Path prepare(Path example, Path forgeYml, Path target) {
    String source = hash(example, forgeYml);
    Path stamp = target.resolve(".git").resolve(STAMP);
    try {
      if (Files.exists(stamp) && Files.readString(stamp).strip().equals(source)) {
        return target.toRealPath();
      }
      deleteTree(target);
      Files.createDirectories(target);
      for (Path file : files(example)) {
        Path to = target.resolve(example.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.copy(forgeYml, target.resolve("forge.yml"));
      git(target, "init", "--quiet", "--initial-branch=main");
      git(target, "add", "--all");
      git(target, "-c", "user.name=Forge Demo", "-c", "user.email=demo@forge.invalid",
          "commit", "--quiet", "--no-verify", "-m", "textstats: the example project, functions not implemented yet");
      Files.writeString(stamp, source + "\n");
      return target.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo repository " + target, e);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String hash(Path example, Path forgeYml) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      List<Path> inputs = new ArrayList<>(files(example));
      inputs.add(forgeYml);
      for (Path file : inputs) {
        digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(file));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo sources in " + example, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Processes.Result result = Processes.run(command, true, 60);
      if (!result.ok()) {
        throw new CliException("git " + String.join(" ", args) + " failed in " + dir + ": "
            + result.output().strip());
      }
      return result.output();
    } catch (IOException e) {
      throw new CliException("cannot run git (is it installed?): " + e.getMessage());
    }
  }
}
