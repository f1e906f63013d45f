package dev.forge.api.tokens;

import dev.forge.api.ApiProperties;
import dev.forge.api.identity.Role;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.confirmations.AdminConfirmations;
import dev.forge.api.identity.ApiUser;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tokens (admin role): create, list, revoke; and {@code GET /api/me} (any role). Creating and
 * revoking are each confirmed by a second request ({@link AdminConfirmations}). A created token is
 * in the answer to the confirmed request, and nowhere else ever: not in logs, not in audit
 * entries, not in later answers.
 */
@RestController
class TokenController {

  private static final int MAX_LISTED = 1000;

  private final ApiTokens tokens;
  private final AdminConfirmations confirmations;
  private final AuditLog audit;
  private final ApiProperties.Tokens lifetimes;
  private final KnownNames names;

  TokenController(ApiTokens tokens, AdminConfirmations confirmations, AuditLog audit,
      ApiProperties properties, KnownNames names) {
    this.tokens = tokens;
    this.names = names;
    this.confirmations = confirmations;
    this.audit = audit;
    this.lifetimes = properties.tokens();
  }

  /** The caller's own identity: name, roles, groups, and for a created token its id and expiry. */
  @GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> me(@AuthenticationPrincipal ApiUser caller) {
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("name", caller.name());
    me.put("roles", java.util.Arrays.stream(Role.values())
        .filter(caller::has).map(Role::externalName).toList());
    me.put("groups", caller.groups());
    if (caller.credential().startsWith("token:")) {
      String id = caller.credential().substring("token:".length());
      me.put("tokenId", id);
      tokens.find(id).ifPresent(t -> me.put("expiresAt", t.token().expiresAt()));
    } else {
      me.put("configured", true);
    }
    return me;
  }

  /** Tokens that still work, newest first; {@code ?all=true} also lists expired and revoked ones. */
  @Parameter(in = ParameterIn.QUERY, name = "all", description = "include expired and revoked tokens",
      schema = @Schema(type = "boolean"))
  @GetMapping(path = "/api/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> list(HttpServletRequest request) {
    Map<String, String[]> parameters = request.getParameterMap();
    parameters.keySet().stream().filter(k -> !k.equals("all")).sorted().findFirst().ifPresent(k -> {
      throw new InvalidInputException(k, "unknown", "is not a known parameter; allowed: all");
    });
    String[] all = parameters.get("all");
    if (all != null && (all.length != 1 || !(all[0].equals("true") || all[0].equals("false")))) {
      throw new InvalidInputException("all", "format", "must be true or false, once");
    }
    List<StoredToken> items = tokens.list(all != null && all[0].equals("true"), MAX_LISTED);
    return Map.of("items", items);
  }

  @ResponseStatus(HttpStatus.CREATED)
  @PostMapping(path = "/api/tokens", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) NewTokenBody body,
      @RequestHeader(name = AdminConfirmations.HEADER, required = false) String confirmation,
      @AuthenticationPrincipal ApiUser caller) {
    TokenRequest request = TokenRequest.read(body, lifetimes.defaultLifetime(), lifetimes.maxLifetime());
    request.refuseClashes(names.now());
    confirmations.require(caller, confirmation, "POST /api/tokens " + request.canonical(),
        request.describe());
    ApiTokens.Created created = tokens.create(request.name(), request.roles(), request.groups(),
        request.lifetime(), caller.name());
    StoredToken stored = created.stored();
    audit.append(new AuditEntry("token.created:" + stored.id(), null, null, 0, caller.name(),
        "token.created", stored.id(), Map.of("name", stored.name(),
            "roles", stored.roles().stream().map(r -> r.externalName()).sorted().toList(),
            "groups", stored.groups(), "expiresAt", stored.expiresAt().toString(),
            "by", caller.credential())));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("token", created.token());
    answer.put("id", stored.id());
    answer.put("name", stored.name());
    answer.put("roles", stored.roles());
    answer.put("groups", stored.groups());
    answer.put("createdAt", stored.createdAt());
    answer.put("expiresAt", stored.expiresAt());
    answer.put("note", "this is the only time the token is shown; Forge keeps only its SHA-256");
    return ResponseEntity.created(URI.create("/api/tokens/" + stored.id()))
        .header("Cache-Control", "no-store").body(answer);
  }

  @PostMapping(path = "/api/tokens/{id}/revoke", produces = MediaType.APPLICATION_JSON_VALUE)
  StoredToken revoke(@PathVariable String id,
      @RequestHeader(name = AdminConfirmations.HEADER, required = false) String confirmation,
      @AuthenticationPrincipal ApiUser caller) {
    if (!TokenFormat.isId(id)) {
      throw new InvalidInputException("id", "format", "must be a token id: 12 lower-case letters and digits");
    }
    StoredToken token = tokens.find(id).map(ApiTokens.Candidate::token)
        .orElseThrow(() -> ApiException.notFound("no token " + id));
    if (token.revokedAt() != null) {
      throw ApiException.conflict("token " + id + " was revoked already, at " + token.revokedAt()
          + " by " + token.revokedBy());
    }
    confirmations.require(caller, confirmation, "POST /api/tokens/" + id + "/revoke",
        "revoking token " + id + " of " + token.name());
    if (!tokens.revoke(id, caller.name())) {
      throw ApiException.conflict("token " + id + " was revoked meanwhile");
    }
    audit.append(new AuditEntry("token.revoked:" + id, null, null, 0, caller.name(),
        "token.revoked", id, Map.of("name", token.name(), "by", caller.credential())));
    return tokens.find(id).orElseThrow().token();
  }
}
