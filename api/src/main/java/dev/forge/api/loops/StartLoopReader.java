package dev.forge.api.loops;

import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.spec.config.ParsedConfig;
import dev.forge.spec.SecretDetector;
import dev.forge.api.policy.LoopPolicy;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.spec.InvalidSpecException;
import dev.forge.api.problems.UnknownFields;
import dev.forge.api.identity.ApiUser;
import dev.forge.workflows.loop.LoopRequest;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads a {@code POST /api/loops} body into a {@link LoopRequest}, or refuses it with every
 * problem found. Nothing is started and nothing is written before this succeeds.
 *
 * <p>Body: {@code repository} (required, absolute path), {@code goal} (text; required unless the
 * config names a prompt_file) and {@code config} (forge.yml as a JSON object; when absent, the
 * repository's own forge.yml is read).
 */
final class StartLoopReader {

  static final int MAX_GOAL_CHARS = 16 * 1024;
  static final int MAX_FILE_BYTES = 64 * 1024;

  private final RepositoryPolicy repositories;
  private final ForgeConfigParser parser;
  private final LoopPolicy policy;

  StartLoopReader(RepositoryPolicy repositories, ForgeConfigParser parser, LoopPolicy policy) {
    this.repositories = repositories;
    this.parser = parser;
    this.policy = policy;
  }

  LoopRequest read(StartLoopBody body, String loopId, ApiUser caller) {
    if (body == null) {
      throw new InvalidInputException("body", "required",
          "send a JSON object with repository, goal and (optionally) config");
    }
    List<FieldError> errors = new ArrayList<>();
    UnknownFields.refuse(body.unknownFields(), "config, goal, repository", errors);
    Object repository = body.repository();
    Object goal = body.goal();
    Object config = body.config();
    if (repository == null) {
      errors.add(new FieldError("repository", "required", "is required: the absolute path of a local git repository"));
    } else if (!(repository instanceof String)) {
      errors.add(new FieldError("repository", "type", "must be a string"));
    }
    if (goal != null && !(goal instanceof String)) {
      errors.add(new FieldError("goal", "type", "must be a string"));
    } else if (goal instanceof String g && (g.isBlank() || g.length() > MAX_GOAL_CHARS)) {
      errors.add(new FieldError("goal", "range", "must be 1 to " + MAX_GOAL_CHARS + " characters"));
    } else if (goal instanceof String g && controlAt(g) >= 0) {
      errors.add(controlError("goal", "the goal", g));
    }
    if (config != null && !(config instanceof Map)) {
      errors.add(new FieldError("config", "type", "must be a JSON object shaped like forge.yml"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }

    Path repo = repositories.resolve((String) repository);
    ParsedConfig parsed = config != null
        ? prefixed("config", () -> parser.parse(config))
        : prefixed("forge.yml", () -> parser.parseYaml(readRepoFile(repo, "forge.yml", "config")));
    repositories.checkMounts(repo, parsed.config().sandbox().mounts(),
        config != null ? "config." : "forge.yml:");
    // The operator's policy, after the config is known to be well-formed: whatever it asks for,
    // from the request or from the repository's own forge.yml, stays within the policy.
    List<FieldError> refused = policy.check(parsed.config(), repo.toString(), caller.name());
    if (!refused.isEmpty()) {
      throw prefixed(config != null ? "config" : "forge.yml", refused);
    }
    String prompt = prompt(repo, parsed, (String) goal);
    return new LoopRequest(loopId, repo.toString(), prompt, caller.name(), parsed.config());
  }

  private String prompt(Path repo, ParsedConfig parsed, String goal) {
    String fromFile = parsed.promptFile() == null ? null
        : readRepoFile(repo, parsed.promptFile(), "loop.prompt_file");
    if (fromFile != null && controlAt(fromFile) >= 0) {
      throw new InvalidInputException(List.of(controlError("loop.prompt_file",
          "'" + parsed.promptFile() + "'", fromFile)));
    }
    refuseSecret(goal, "goal", "the goal");
    refuseSecret(fromFile, "loop.prompt_file", "'" + parsed.promptFile() + "'");
    if (fromFile == null && goal == null) {
      throw new InvalidInputException("goal", "required",
          "is required when the config names no loop.prompt_file");
    }
    if (fromFile == null) {
      return goal;
    }
    return goal == null ? fromFile : fromFile.strip() + "\n\n" + goal;
  }

  /**
   * The prompt becomes part of the loop's workflow history, which is kept, exported and replayed:
   * no credential may be in it.
   */
  private static void refuseSecret(String text, String field, String what) {
    if (text != null && SecretDetector.looksLikeSecret(text)) {
      throw new InvalidInputException(field, "secret", what + " holds a value that looks like a"
          + " credential; the prompt is kept in the loop's history, so never put one there: give"
          + " the sandbox the name of a host variable in credentials.env instead");
    }
  }

  /**
   * Where {@code text} holds a control character other than tab, line feed and carriage return
   * (NUL, escape, DEL, C1 controls), or -1. Such characters end up in the agent's command line and
   * the loop's history, where they fail the loop or hide text; they are refused before it starts.
   * Webhook text passes here too, after {@code UntrustedText} has removed what it removes.
   */
  static int controlAt(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }

  private static FieldError controlError(String field, String what, String text) {
    int at = controlAt(text);
    return new FieldError(field, "format", what + " holds the control character U+"
        + String.format("%04X", (int) text.charAt(at)) + " at character " + at + "; only tab, line"
        + " feed and carriage return are allowed");
  }

  /** Reads a small UTF-8 file that must really be inside the repository. */
  private static String readRepoFile(Path repo, String relative, String field) {
    Path file = repo.resolve(relative).normalize();
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(repo)) {
        throw new InvalidInputException(field, "path", "'" + relative + "' resolves outside the repository");
      }
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(field, "path", "'" + relative + "' is not a regular file");
      }
      if (Files.size(real) > MAX_FILE_BYTES) {
        throw new InvalidInputException(field, "range", "'" + relative + "' is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(real)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(field, "format", "'" + relative + "' is not UTF-8 text");
    } catch (IOException e) {
      throw new InvalidInputException(field, "required",
          "'" + relative + "' does not exist in the repository; add it or send config in the request");
    }
  }

  /**
   * Names config errors after where the config came from: {@code config.loop.max_iterations} for
   * an inline config, {@code forge.yml:loop.max_iterations} for the repository's file.
   */
  private static ParsedConfig prefixed(String source, Supplier<ParsedConfig> parse) {
    try {
      return parse.get();
    } catch (InvalidSpecException e) {
      throw prefixed(source, e.refusals().stream().map(FieldError::of).toList());
    }
  }

  private static InvalidInputException prefixed(String source, List<FieldError> errors) {
    String separator = source.equals("config") ? "." : ":";
    return new InvalidInputException(errors.stream()
        .map(err -> new FieldError(err.field().equals("forge.yml") ? source
            : source + separator + err.field(), err.rule(), err.message()))
        .toList());
  }
}
