package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/audit-actions.md lists exactly the audit actions the main code writes: an action added in
 * code without a line in the catalogue fails here, and so does a line for an action no code writes
 * any more. The catalogue's actions are the first cells of its tables, in backticks.
 */
class AuditActionCatalogueTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path CATALOGUE = REPOSITORY.resolve("docs/audit-actions.md");
  private static final Pattern CATALOGUED = Pattern.compile("(?m)^\\|\\s*`([^`]+)`\\s*\\|");

  private static Map<String, Set<String>> written;
  private static Set<String> catalogued;

  @BeforeAll
  static void read() throws IOException {
    written = AuditActionScan.actionsWritten(REPOSITORY);
    catalogued = new TreeSet<>();
    Matcher m = CATALOGUED.matcher(Files.readString(CATALOGUE));
    while (m.find()) {
      catalogued.add(m.group(1));
    }
  }

  @Test
  void shouldCatalogueEveryActionTheCodeWrites() {
    Map<String, Set<String>> missing = written.entrySet().stream()
        .filter(e -> !catalogued.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

    assertThat(missing)
        .as("audit actions written (action=[where]) but missing from %s", CATALOGUE)
        .isEmpty();
  }

  @Test
  void shouldCatalogueNoActionTheCodeDoesNotWrite() {
    Set<String> stale = new TreeSet<>(catalogued);
    stale.removeAll(written.keySet());

    assertThat(stale)
        .as("audit actions in %s that no main code writes", CATALOGUE)
        .isEmpty();
  }

  /** The scan follows every way an action reaches the log today; without this a bug could hide. */
  @Test
  void shouldFindActionsThroughLiteralsConstantsParametersAndSql() {
    assertThat(written).containsKeys(
        "policy.refused",           // a literal in new AuditEntry(...)
        "sandbox.command",          // a constant (StepAudit.ACTION)
        "egress.denied",            // a constant in a ?: branch
        "webhook.ignored",          // a parameter of WebhookAudit.append
        "loop.pause.refused",       // "loop." + what + ".refused", what a parameter
        "gate.reminder",            // through GateVoting.Recorder, a method reference
        "audit.purged");            // the SQL function forge_purge_audit
    assertThat(written.get("policy.refused"))
        .anyMatch(where -> where.startsWith("api/src/main/java/") && where.contains(".java:"));
  }
}
