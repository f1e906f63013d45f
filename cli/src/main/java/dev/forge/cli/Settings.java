package dev.forge.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds the server and its token: {@code FORGE_SERVER} (default
 * http://127.0.0.1:8080/) and {@code FORGE_TOKEN}, or a file named by {@code FORGE_TOKEN_FILE}.
 * Tokens are never taken from the command line, where other users could read them.
 */
final class Settings {

  private final Map<String, String> env;

  Settings(Map<String, String> env) {
    this.env = env;
  }

  URI server() {
    String server = env.getOrDefault("FORGE_SERVER", "http://127.0.0.1:8080/");
    return URI.create(server.endsWith("/") ? server : server + "/");
  }

  String token() {
    String token = env.get("FORGE_TOKEN");
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    String file = env.get("FORGE_TOKEN_FILE");
    if (file == null || file.isBlank()) {
      throw new CliException("set FORGE_TOKEN or FORGE_TOKEN_FILE (the embedded default writes"
          + " tokens to .forge/secrets/dev.token and .forge/secrets/lead.token)");
    }
    return readToken(Path.of(file));
  }

  static String readToken(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException("cannot read the token file " + file + ": " + e.getMessage());
    }
  }
}
