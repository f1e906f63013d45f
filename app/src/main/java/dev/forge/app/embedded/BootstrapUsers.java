package dev.forge.app.embedded;

import dev.forge.api.identity.ApiUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Users of the embedded default, when none are configured: {@code dev} (engineer), {@code lead}
 * (approver, group {@code team-lead}) and {@code admin} (admin: creates and revokes further tokens
 * through the API, the way the first admin token comes to exist). Each gets a random token in {@code
 * <data-dir>/secrets/<name>.token} (mode 0600, created once); only its SHA-256 goes into the
 * configuration. Configure {@code forge.api.users} to replace them.
 */
final class BootstrapUsers {

  record User(String name, String role, String group) {}

  static final List<User> DEFAULTS =
      List.of(new User("dev", "engineer", "engineers"), new User("lead", "approver", "team-lead"),
          new User("admin", "admin", "admins"));

  private static final SecureRandom RANDOM = new SecureRandom();

  private BootstrapUsers() {}

  /** Ensures the token files exist and returns the {@code forge.api.users[*]} properties. */
  static void addTo(Map<String, Object> properties, Path secretsDir) {
    for (int i = 0; i < DEFAULTS.size(); i++) {
      User user = DEFAULTS.get(i);
      String token = ensureSecret(secretsDir.resolve(user.name() + ".token"));
      String prefix = "forge.api.users[" + i + "].";
      properties.put(prefix + "name", user.name());
      properties.put(prefix + "roles[0]", user.role());
      properties.put(prefix + "groups[0]", user.group());
      properties.put(prefix + "token-sha256", ApiUsers.hashOf(token));
    }
  }

  /**
   * The secret in {@code file}, created once with 32 random bytes (mode 0600, its directory 0700)
   * when it does not exist.
   */
  static String ensureSecret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      Files.createDirectories(file.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      String token = "forge_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the secret file " + file, e);
    }
  }
}
