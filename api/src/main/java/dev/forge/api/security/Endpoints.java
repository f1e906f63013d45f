package dev.forge.api.security;

import static dev.forge.api.identity.Role.ADMIN;
import static dev.forge.api.identity.Role.APPROVER;
import static dev.forge.api.identity.Role.ENGINEER;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import dev.forge.api.identity.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one list of endpoints and the roles each needs. {@link SecurityConfiguration} authorizes
 * from it, anything not listed is refused, and {@code ApiSecurityIT} calls every entry with every
 * role. docs/api.md shows the same table.
 */
public final class Endpoints {

  private static final Set<Role> ANYONE = Set.of();
  private static final Set<Role> EVERY_ROLE = EnumSet.allOf(Role.class);

  public static final List<Endpoint> ALL = List.of(
      new Endpoint(GET, "/actuator/health", ANYONE, "the health check", ""),
      new Endpoint(GET, "/actuator/health/**", ANYONE, "the health check", ""),

      new Endpoint(POST, "/api/loops", Set.of(ENGINEER), "starting a loop", ""),
      new Endpoint(GET, "/api/loops", EVERY_ROLE, "listing loops", ""),
      new Endpoint(GET, "/api/loops/*", EVERY_ROLE, "reading a loop", ""),
      new Endpoint(GET, "/api/loops/*/events", EVERY_ROLE, "following a loop's events", ""),
      new Endpoint(GET, "/api/loops/*/history", EVERY_ROLE, "exporting a loop's history", ""),
      new Endpoint(GET, "/api/loops/*/audit", EVERY_ROLE, "reading a loop's audit log", ""),
      new Endpoint(GET, "/api/loops/*/audit.jsonl", EVERY_ROLE, "exporting a loop's audit log", ""),
      new Endpoint(POST, "/api/loops/*/cancel", Set.of(ENGINEER, APPROVER), "cancelling a loop",
          "engineers only their own loops"),
      new Endpoint(POST, "/api/loops/*/pause", Set.of(ENGINEER, APPROVER), "pausing a loop",
          "engineers only their own loops"),
      new Endpoint(POST, "/api/loops/*/resume", Set.of(ENGINEER, APPROVER), "resuming a loop",
          "engineers only their own loops"),
      new Endpoint(POST, "/api/loops/*/rollback", Set.of(ENGINEER, APPROVER),
          "rolling a loop back", "engineers only their own loops"),
      new Endpoint(GET, "/api/gates", Set.of(APPROVER), "listing pending gates with their context",
          ""),
      new Endpoint(POST, "/api/loops/*/gates/*/approve", Set.of(APPROVER), "deciding a gate",
          "not the loop's starter; only the gate's approvers"),
      new Endpoint(POST, "/api/loops/*/gates/*/reject", Set.of(APPROVER), "deciding a gate",
          "not the loop's starter; only the gate's approvers"),
      new Endpoint(POST, "/api/loops/*/cost-cap", Set.of(APPROVER), "raising a loop's cost cap",
          "not the loop's starter"),

      new Endpoint(GET, "/api/me", EVERY_ROLE, "reading your own token's identity", ""),
      new Endpoint(GET, "/api/tokens", Set.of(ADMIN), "listing tokens", ""),
      new Endpoint(POST, "/api/tokens", Set.of(ADMIN), "creating a token", "confirmed by a second request"),
      new Endpoint(POST, "/api/tokens/*/revoke", Set.of(ADMIN), "revoking a token",
          "confirmed by a second request"),
      new Endpoint(GET, "/api/admin/policy", Set.of(ADMIN), "reading the operator's policy in force",
          ""),
      new Endpoint(GET, "/api/forge.schema.json", EVERY_ROLE, "reading the JSON Schema of forge.yml",
          ""),
      new Endpoint(POST, "/api/totp/enrolments", Set.of(ADMIN), "enrolling a user for TOTP step-up",
          "confirmed by a second request"),

      // The OpenAPI document and Swagger UI (springdoc): a token like everything else, any role.
      new Endpoint(GET, "/v3/api-docs", EVERY_ROLE, "reading the OpenAPI document", ""),
      new Endpoint(GET, "/v3/api-docs.yaml", EVERY_ROLE, "reading the OpenAPI document", ""),
      new Endpoint(GET, "/v3/api-docs/swagger-config", EVERY_ROLE, "reading the Swagger UI's settings", ""),
      new Endpoint(GET, "/swagger-ui.html", EVERY_ROLE, "opening the Swagger UI", ""),
      new Endpoint(GET, "/swagger-ui/**", EVERY_ROLE, "opening the Swagger UI", ""),
      new Endpoint(POST, "/api/webhooks/*", ANYONE, "delivering a signed webhook",
          "no token: an HMAC-SHA256 signature with the source's secret (Forge-Signature)", true));

  private Endpoints() {}

  /** The entry for a request, if it is listed. */
  public static Optional<Endpoint> find(String method, String path) {
    return ALL.stream().filter(e -> e.method().matches(method) && matches(e.pattern(), path)).findFirst();
  }

  /** {@code *} matches one path segment, a trailing {@code /**} any rest. */
  static boolean matches(String pattern, String path) {
    if (pattern.endsWith("/**")) {
      String base = pattern.substring(0, pattern.length() - 3);
      return path.startsWith(base + "/");
    }
    String[] want = pattern.split("/", -1);
    String[] got = path.split("/", -1);
    if (want.length != got.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (want[i].equals("*") ? got[i].isEmpty() : !want[i].equals(got[i])) {
        return false;
      }
    }
    return true;
  }
}
