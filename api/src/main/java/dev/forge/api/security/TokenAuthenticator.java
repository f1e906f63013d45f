package dev.forge.api.security;

import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.ApiUsers;
import dev.forge.api.tokens.ApiTokens;
import dev.forge.api.tokens.StoredToken;
import dev.forge.api.tokens.TokenFormat;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who a bearer token belongs to. A token of the created shape ({@code fgt_<id>_<secret>}) is
 * looked up by its id and its SHA-256 compared with the stored one in constant time; anything
 * else is compared with the configured users' hashes (also in constant time, against every one).
 * Expiry and revocation are only reported for a token whose secret matched, so they tell a
 * caller nothing about tokens they do not hold.
 */
final class TokenAuthenticator {

  enum Outcome { AUTHENTICATED, INVALID, EXPIRED, REVOKED }

  record Result(Outcome outcome, ApiUser user) {}

  /** Compared when the id is unknown, so an unknown id costs what a wrong secret costs. */
  private static final byte[] NO_SUCH_TOKEN = new byte[32];

  private final ApiUsers configured;
  private final ApiTokens created;

  TokenAuthenticator(ApiUsers configured, ApiTokens created) {
    this.configured = configured;
    this.created = created;
  }

  Result authenticate(String token) {
    Optional<String> id = TokenFormat.idOf(token);
    if (id.isEmpty()) {
      return configured.authenticate(token).map(user -> new Result(Outcome.AUTHENTICATED, user))
          .orElse(new Result(Outcome.INVALID, null));
    }
    byte[] presented = TokenFormat.sha256(token);
    Optional<ApiTokens.Candidate> candidate = created.find(id.get());
    byte[] expected = candidate.map(ApiTokens.Candidate::sha256).orElse(NO_SUCH_TOKEN);
    if (!MessageDigest.isEqual(expected, presented) || candidate.isEmpty()) {
      return new Result(Outcome.INVALID, null);
    }
    StoredToken stored = candidate.get().token();
    return switch (stored.state()) {
      case "active" -> new Result(Outcome.AUTHENTICATED,
          new ApiUser(stored.name(), stored.roles(), stored.groups(), "token:" + stored.id()));
      case "revoked" -> new Result(Outcome.REVOKED, null);
      default -> new Result(Outcome.EXPIRED, null);
    };
  }
}
