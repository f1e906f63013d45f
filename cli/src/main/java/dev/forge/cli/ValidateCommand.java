package dev.forge.cli;

import dev.forge.spec.InvalidSpecException;
import dev.forge.spec.Refusal;
import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.spec.config.ParsedConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code forge validate [forge.yml]}: checks a forge.yml against every rule of the loop
 * specification without a server, with the parser the API uses. Each refusal is printed as {@code
 * path: rule: detail}. Exit status: 0 valid, 1 invalid, 2 unreadable (missing, not a regular file,
 * too large, not UTF-8). What only the server knows is not checked: the operator's policy, and
 * whether the prompt file and mount sources exist in the repository.
 */
final class ValidateCommand {

  static final int VALID = 0;
  static final int INVALID = 1;
  static final int UNREADABLE = 2;
  /** A little over the parser's own 64 KiB limit, so that it reports the size itself. */
  private static final long MAX_READ_BYTES = 1L << 20;

  private final PrintStream out;
  private final PrintStream err;

  ValidateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    if (args.size() > 1) {
      throw new UsageException("validate takes at most one file, got " + args.size());
    }
    Path file = Path.of(args.isEmpty() ? "forge.yml" : args.get(0));
    String text;
    try {
      text = read(file);
    } catch (IOException e) {
      err.println("forge: cannot read " + file + ": " + e.getMessage());
      return UNREADABLE;
    }
    try {
      ParsedConfig parsed = new ForgeConfigParser().parseYaml(text);
      out.println(file + ": valid (" + parsed.config().maxIterations() + " iterations at most, "
          + parsed.config().sandbox().network().name().toLowerCase(Locale.ROOT)
          + " network, " + parsed.config().gates().size() + " gate(s))");
      return VALID;
    } catch (InvalidSpecException e) {
      for (Refusal refusal : e.refusals()) {
        out.println(refusal);
      }
      err.println("forge: " + file + " is not valid: " + e.refusals().size()
          + (e.refusals().size() == 1 ? " refusal" : " refusals"));
      return INVALID;
    }
  }

  private static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(Files.exists(file) ? "not a regular file" : "no such file");
    }
    if (Files.size(file) > MAX_READ_BYTES) {
      throw new IOException("larger than " + MAX_READ_BYTES + " bytes");
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("not UTF-8 text");
    }
  }
}
