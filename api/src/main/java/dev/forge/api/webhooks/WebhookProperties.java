package dev.forge.api.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code forge.webhooks.*}: the sources that may deliver signed webhooks to {@code POST
 * /api/webhooks/<source>}. None by default: every delivery is then refused. See docs/api.md,
 * Signed webhooks.
 *
 * @param sources by name (the path segment after {@code /api/webhooks/})
 */
@ConfigurationProperties("forge.webhooks")
public record WebhookProperties(Map<String, Source> sources) {

  static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  static final Pattern EVENT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  /** Delivery ids are remembered for a day (V5), so no window may let a replay outlive that. */
  static final Duration MAX_TOLERANCE = Duration.ofHours(12);
  static final int MAX_TEXT_CHARS = 12_000;

  @ConstructorBinding
  public WebhookProperties {
    Map<String, Source> checked = new TreeMap<>();
    if (sources != null) {
      sources.forEach((name, source) -> {
        if (!SOURCE_NAME.matcher(name).matches()) {
          throw new IllegalStateException("forge.webhooks.sources." + name + ": a source name is 1 to"
              + " 64 of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }
        checked.put(name, Source.checked(name, source));
      });
    }
    sources = Map.copyOf(checked);
  }

  /**
   * One source of webhooks.
   *
   * @param secretEnv the NAME of an environment variable holding the shared secret (at least 32
   *     characters); exactly one of secretEnv and secretFile
   * @param secretFile the path of a file holding the shared secret (surrounding whitespace is
   *     ignored); read at each delivery, so a rotated secret counts at once
   * @param repository the absolute path of the repository the source's loops work on; it must pass
   *     the same policy as {@code POST /api/loops} (a git repository under forge.api.allowed-roots),
   *     checked at each delivery. The loop runs with the repository's own forge.yml
   * @param startedAs the user the loops are started as, recorded as {@code startedBy} (default
   *     {@code webhook:<source>}, a name no token can have)
   * @param tolerance how far a delivery's signed timestamp may lie from the server's clock, either
   *     way (default 5m, at most 12h)
   * @param events the event types ({@code event} field of the body) that start a loop; empty: any.
   *     A delivery of another event is answered 200 and starts nothing
   * @param maxTextChars the longest text (title and body together) a delivery may carry (default
   *     4000, at most 12000)
   * @param onSuspiciousText what a delivery whose text the sanitizer flags as steering does:
   *     {@code start} the loop anyway, the flags named in its prompt and audited (default), or
   *     {@code refuse} it with 422 (audited)
   */
  public record Source(String secretEnv, String secretFile, String repository, String startedAs,
      Duration tolerance, List<String> events, Integer maxTextChars,
      OnSuspiciousText onSuspiciousText) {

    static Source checked(String name, Source source) {
      String prefix = "forge.webhooks.sources." + name + ".";
      if (source == null) {
        throw new IllegalStateException(prefix + "repository and a secret are required");
      }
      boolean env = source.secretEnv() != null && !source.secretEnv().isBlank();
      boolean file = source.secretFile() != null && !source.secretFile().isBlank();
      if (env == file) {
        throw new IllegalStateException(prefix + "secret-env or secret-file: name exactly one, the"
            + " name of an environment variable or the path of a file holding the secret (never the"
            + " secret itself)");
      }
      if (env && !ENV_NAME.matcher(source.secretEnv()).matches()) {
        throw new IllegalStateException(prefix + "secret-env must be the NAME of an environment"
            + " variable (letters, digits, '_'), not the secret");
      }
      if (file && !source.secretFile().startsWith("/")) {
        throw new IllegalStateException(prefix + "secret-file must be an absolute path");
      }
      if (source.repository() == null || !source.repository().startsWith("/")) {
        throw new IllegalStateException(prefix + "repository must be the absolute path of a git"
            + " repository under forge.api.allowed-roots");
      }
      String startedAs = source.startedAs() == null ? "webhook:" + name : source.startedAs();
      if (!USER_NAME.matcher(startedAs).matches()) {
        throw new IllegalStateException(prefix + "started-as must be 1 to 64 of letters, digits and"
            + " . _ : @ -");
      }
      Duration tolerance = source.tolerance() == null ? Duration.ofMinutes(5) : source.tolerance();
      if (tolerance.isNegative() || tolerance.isZero() || tolerance.compareTo(MAX_TOLERANCE) > 0) {
        throw new IllegalStateException(prefix + "tolerance must be positive and at most "
            + MAX_TOLERANCE.toHours() + "h, got " + tolerance);
      }
      List<String> events = source.events() == null ? List.of() : List.copyOf(source.events());
      for (String event : events) {
        if (!EVENT.matcher(event).matches()) {
          throw new IllegalStateException(prefix + "events: '" + event + "' is not an event name");
        }
      }
      int maxText = source.maxTextChars() == null ? 4000 : source.maxTextChars();
      if (maxText < 1 || maxText > MAX_TEXT_CHARS) {
        throw new IllegalStateException(prefix + "max-text-chars must be 1 to " + MAX_TEXT_CHARS);
      }
      return new Source(env ? source.secretEnv() : null, file ? source.secretFile() : null,
          source.repository(), startedAs, tolerance, events, maxText,
          source.onSuspiciousText() == null ? OnSuspiciousText.START : source.onSuspiciousText());
    }
  }

  /** See {@link Source#onSuspiciousText()}. */
  public enum OnSuspiciousText {
    START,
    REFUSE
  }
}
