package dev.forge.spec.config;

import dev.forge.spec.SecretDetector;

import dev.forge.spec.InvalidSpecException;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns forge.yml text into a tree of maps, lists and scalars, refusing anything that could make
 * loading dangerous or expensive: no custom types (safe constructor), no duplicate keys, at most 10
 * aliases to collections (no "billion laughs"), limited nesting, at most 64 KiB.
 */
final class YamlLoader {

  static final int MAX_BYTES = 64 * 1024;
  static final int MAX_COLLECTION_ALIASES = 10;
  static final int MAX_NESTING = 16;

  private YamlLoader() {}

  static Object load(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidSpecException(Paths.DOCUMENT, "required",
          "is empty; it needs at least version, loop and sandbox");
    }
    if (text.length() > MAX_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new InvalidSpecException(Paths.DOCUMENT, "range",
          "must be at most " + MAX_BYTES + " bytes (64 KiB)");
    }
    try {
      // A Yaml instance is not thread-safe; one per document keeps the parser stateless.
      return new Yaml(new SafeConstructor(options())).load(text);
    } catch (MarkedYAMLException e) {
      throw new InvalidSpecException(Paths.DOCUMENT, "syntax", describe(e));
    } catch (YAMLException e) {
      throw limitExceeded(e);
    }
  }

  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_BYTES);
    options.setProcessComments(false);
    options.setWrappedToRootException(false);
    return options;
  }

  /**
   * The problem and where it is. SnakeYAML's own message is not used: it quotes the surrounding
   * lines, which could hold a secret.
   */
  private static String describe(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    if (problem == null || SecretDetector.looksLikeSecret(problem)) {
      problem = "invalid YAML";
    }
    problem = problem.strip();
    if (problem.length() > 120) {
      problem = problem.substring(0, 120) + "...";
    }
    String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column "
        + (mark.getColumn() + 1);
    return "is not valid YAML" + where + ": " + problem;
  }

  private static InvalidSpecException limitExceeded(YAMLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("aliases")) {
      return new InvalidSpecException(Paths.DOCUMENT, "range", "uses more than "
          + MAX_COLLECTION_ALIASES + " aliases (*name) to lists or mappings; write them out instead");
    }
    if (message.contains("Nesting Depth")) {
      return new InvalidSpecException(Paths.DOCUMENT, "range",
          "is nested more than " + MAX_NESTING + " levels deep");
    }
    if (message.contains("exceeds the limit")) {
      return new InvalidSpecException(Paths.DOCUMENT, "range",
          "must be at most " + MAX_BYTES + " bytes (64 KiB)");
    }
    return new InvalidSpecException(Paths.DOCUMENT, "syntax", "is not valid YAML; check its"
        + " indentation and quoting");
  }
}
