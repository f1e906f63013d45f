package dev.forge.api.webhooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a source's secret comes from: the environment variable or the file its configuration
 * names, read at each delivery (a rotated file counts at once). The secret never appears in
 * configuration, responses, logs or the audit log.
 */
final class WebhookSecrets {

  /** Shorter secrets are treated as missing: a webhook secret is meant to be random. */
  static final int MIN_CHARS = 32;
  private static final long MAX_FILE_BYTES = 4096;

  private final UnaryOperator<String> environment;

  WebhookSecrets(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  /** The source's secret, or empty when it is not set, unreadable or too short. */
  Optional<byte[]> of(WebhookProperties.Source source) {
    String value = source.secretEnv() != null ? environment.apply(source.secretEnv()) : readFile(source.secretFile());
    if (value == null) {
      return Optional.empty();
    }
    String secret = value.strip();
    return secret.length() < MIN_CHARS ? Optional.empty()
        : Optional.of(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Why {@link #of} is empty, naming where the secret should be and never what it is. */
  static String missing(String name, WebhookProperties.Source source) {
    String where = source.secretEnv() != null ? "environment variable " + source.secretEnv()
        : "file " + source.secretFile();
    return "the secret of webhook source '" + name + "' (" + where + ") is not set, not readable,"
        + " or shorter than " + MIN_CHARS + " characters";
  }

  private static String readFile(String file) {
    try {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path) || Files.size(path) > MAX_FILE_BYTES) {
        return null;
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
