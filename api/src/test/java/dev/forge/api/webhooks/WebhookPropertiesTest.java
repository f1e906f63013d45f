package dev.forge.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookPropertiesTest {

  private static final String SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t";

  @Test
  void shouldDefaultStarterToleranceAndTextLimit() {
    WebhookProperties.Source ci = new WebhookProperties(Map.of("ci",
        new WebhookProperties.Source("CI_SECRET", null, "/repos/app", null, null, null, null, null)))
        .sources().get("ci");

    assertThat(ci.startedAs()).isEqualTo("webhook:ci");
    assertThat(ci.tolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(ci.maxTextChars()).isEqualTo(4000);
    assertThat(ci.events()).isEmpty();
    assertThat(ci.onSuspiciousText()).isEqualTo(WebhookProperties.OnSuspiciousText.START);
  }

  @Test
  void shouldRefuseConfigurationsThatCannotBeSafe() {
    assertThatThrownBy(() -> source(new WebhookProperties.Source(null, null, "/r", null, null, null, null, null)))
        .hasMessageContaining("secret-env or secret-file");
    assertThatThrownBy(() -> source(new WebhookProperties.Source("E", "/f", "/r", null, null, null, null, null)))
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> source(new WebhookProperties.Source(SECRET + "=x", null, "/r", null, null, null, null, null)))
        .as("a secret given where its variable's name belongs").hasMessageContaining("NAME")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> source(new WebhookProperties.Source("E", null, "relative", null, null, null, null, null)))
        .hasMessageContaining("repository");
    assertThatThrownBy(() -> source(new WebhookProperties.Source("E", null, "/r", null, Duration.ofHours(13), null, null, null)))
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> source(new WebhookProperties.Source("E", null, "/r", "a b", null, null, null, null)))
        .hasMessageContaining("started-as");
    assertThatThrownBy(() -> new WebhookProperties(Map.of("Bad Name",
        new WebhookProperties.Source("E", null, "/r", null, null, null, null, null))))
        .hasMessageContaining("source name");
    assertThatThrownBy(() -> source(new WebhookProperties.Source("E", null, "/r", null, null, List.of("a b"), null, null)))
        .hasMessageContaining("events");
  }

  @Test
  void shouldReadTheSecretFromTheNamedVariableOrFileAndRefuseShortOnes(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    Path weak = dir.resolve("weak");
    Files.writeString(weak, "short");
    WebhookSecrets secrets = new WebhookSecrets(name -> name.equals("CI_SECRET") ? SECRET : null);

    assertThat(secrets.of(source(new WebhookProperties.Source("CI_SECRET", null, "/r", null, null, null, null, null))))
        .hasValueSatisfying(s -> assertThat(new String(s, StandardCharsets.UTF_8)).isEqualTo(SECRET));
    assertThat(secrets.of(source(new WebhookProperties.Source(null, file.toString(), "/r", null, null, null, null, null))))
        .hasValueSatisfying(s -> assertThat(new String(s, StandardCharsets.UTF_8)).isEqualTo(SECRET));
    assertThat(secrets.of(source(new WebhookProperties.Source("UNSET", null, "/r", null, null, null, null, null)))).isEmpty();
    assertThat(secrets.of(source(new WebhookProperties.Source(null, weak.toString(), "/r", null, null, null, null, null)))).isEmpty();
    assertThat(secrets.of(source(new WebhookProperties.Source(null, dir.resolve("none").toString(), "/r", null, null, null, null, null)))).isEmpty();
    assertThat(WebhookSecrets.missing("ci", source(new WebhookProperties.Source("CI_SECRET", null, "/r", null, null, null, null, null))))
        .contains("environment variable CI_SECRET").doesNotContain(SECRET);
  }

  private static WebhookProperties.Source source(WebhookProperties.Source source) {
    return new WebhookProperties(Map.of("ci", source)).sources().get("ci");
  }
}
