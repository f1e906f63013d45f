package dev.forge.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.api.identity.ApiUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.PropertySource;
import org.springframework.mock.env.MockEnvironment;

/** Real services are configuration only: the embedded ones start only for what is not configured. */
class EmbeddedPlatformTest {

  private final EmbeddedPlatform platform = new EmbeddedPlatform(Supplier::get);

  @TempDir Path dataDir;

  @Test
  void shouldStartNothingWhenTemporalPostgresAndUsersAreConfigured() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("forge.embedded.enabled", "true")
        .withProperty("forge.data-dir", dataDir.toString())
        .withProperty("spring.temporal.connection.target", "temporal.internal:7233")
        .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/forge")
        .withProperty("forge.api.users[0].name", "alice");

    platform.postProcessEnvironment(env, new SpringApplication());

    PropertySource<?> added = env.getPropertySources().get("forgeEmbedded");
    assertThat(added).isNotNull();
    assertThat(((java.util.Map<?, ?>) added.getSource())).isEmpty();
    assertThat(env.getProperty("spring.temporal.connection.target")).isEqualTo("temporal.internal:7233");
    assertThat(dataDir.resolve("postgres")).doesNotExist();
    assertThat(dataDir.resolve("secrets")).doesNotExist();
  }

  @Test
  void shouldDoNothingWhenDisabled() {
    MockEnvironment env = new MockEnvironment().withProperty("forge.data-dir", dataDir.toString());

    platform.postProcessEnvironment(env, new SpringApplication());

    assertThat(env.getPropertySources().get("forgeEmbedded")).isNull();
  }

  @Test
  void shouldCreatePrivateTokensAndConfigureOnlyTheirHashes() throws IOException {
    MockEnvironment env = new MockEnvironment()
        .withProperty("forge.embedded.enabled", "true")
        .withProperty("forge.data-dir", dataDir.toString())
        .withProperty("spring.temporal.connection.target", "temporal.internal:7233")
        .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/forge");

    platform.postProcessEnvironment(env, new SpringApplication());

    Path devToken = dataDir.resolve("secrets/dev.token");
    String token = Files.readString(devToken).strip();
    assertThat(Files.getPosixFilePermissions(devToken))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("secrets")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(token).startsWith("forge_").hasSizeGreaterThan(40);
    assertThat(env.getProperty("forge.api.users[0].name")).isEqualTo("dev");
    assertThat(env.getProperty("forge.api.users[0].token-sha256")).isEqualTo(ApiUsers.hashOf(token));
    assertThat(env.getProperty("forge.api.users[1].roles[0]")).isEqualTo("approver");
    // the first admin: creates and revokes every further token through the API
    Path adminToken = dataDir.resolve("secrets/admin.token");
    assertThat(env.getProperty("forge.api.users[2].name")).isEqualTo("admin");
    assertThat(env.getProperty("forge.api.users[2].roles[0]")).isEqualTo("admin");
    assertThat(env.getProperty("forge.api.users[2].token-sha256"))
        .isEqualTo(ApiUsers.hashOf(Files.readString(adminToken).strip()));
    assertThat(Files.getPosixFilePermissions(adminToken))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    // the token itself is nowhere in the configuration
    assertThat(((java.util.Map<?, ?>) env.getPropertySources().get("forgeEmbedded").getSource()).values())
        .noneMatch(v -> v.toString().contains(token));
  }

  @Test
  void shouldKeepTokensAcrossRestarts() throws IOException {
    MockEnvironment first = users();
    platform.postProcessEnvironment(first, new SpringApplication());
    String hash = first.getProperty("forge.api.users[1].token-sha256");

    MockEnvironment second = users();
    platform.postProcessEnvironment(second, new SpringApplication());

    assertThat(second.getProperty("forge.api.users[1].token-sha256")).isEqualTo(hash);
  }

  @Test
  void shouldNameTheApplicationsDatabaseRoleAfterTheFlywayPlaceholder() {
    MockEnvironment defaults = new MockEnvironment();
    MockEnvironment configured = new MockEnvironment()
        .withProperty("spring.flyway.placeholders.approle", "forge_api");

    assertThat(EmbeddedPlatform.appRole(defaults)).isEqualTo("forge_app");
    assertThat(EmbeddedPlatform.appRole(configured)).isEqualTo("forge_api");
  }

  @Test
  void shouldTrustOnlyTheSuperuserAndAskEveryOtherRoleForItsPassword() {
    assertThat(EmbeddedPostgresServer.PG_HBA.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList())
        .allSatisfy(l -> assertThat(l.contains(" postgres ") ? l.endsWith("trust")
            : l.endsWith("scram-sha-256")).as(l).isTrue())
        .anySatisfy(l -> assertThat(l).contains("all       all").endsWith("scram-sha-256"));
  }

  private MockEnvironment users() {
    return new MockEnvironment()
        .withProperty("forge.embedded.enabled", "true")
        .withProperty("forge.data-dir", dataDir.toString())
        .withProperty("spring.temporal.connection.target", "t:7233")
        .withProperty("spring.datasource.url", "jdbc:postgresql://d/f");
  }
}
