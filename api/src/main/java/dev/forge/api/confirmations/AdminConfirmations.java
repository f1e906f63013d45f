package dev.forge.api.confirmations;

import dev.forge.api.identity.ApiUser;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.ConfirmationRequiredException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The second request every admin change needs. The first request gets a 428 with a random
 * confirmation id; the change happens only when the same token sends the same action again with
 * {@code Forge-Confirmation: <id>} before the id expires. An id is used once: sent with anything
 * else (another action, another token, too late) it is spent and refused. In memory, per Forge
 * process.
 */
public final class AdminConfirmations {

  /** The request header that carries the confirmation id. */
  public static final String HEADER = "Forge-Confirmation";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final int MAX_PENDING = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration ttl;
  private final Clock clock;
  private final AuditLog audit;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  private record Pending(String credential, byte[] action, Instant expiresAt) {}

  public AdminConfirmations(Duration ttl, Clock clock, AuditLog audit) {
    this.ttl = ttl;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Returns when {@code confirmation} confirms {@code action} for this caller's token; otherwise
   * throws: {@link ConfirmationRequiredException} (428, with a new id) when none was sent, or
   * {@link InvalidInputException} (400, naming the header) when the one sent does not fit.
   *
   * @param action what exactly is being done, canonical: the same request gives the same text
   * @param description the action for the admin to read before confirming
   */
  public void require(ApiUser caller, String confirmation, String action, String description) {
    Instant now = clock.instant();
    if (confirmation == null || confirmation.isBlank()) {
      String id = issue(caller, action, now);
      audit.append(new AuditEntry("admin.confirmation:" + id, null, null, 0, caller.name(),
          "admin.confirmation.issued", description, Map.of("token", caller.credential())));
      throw new ConfirmationRequiredException(description, id, now.plus(ttl));
    }
    Pending found = ID.matcher(confirmation).matches() ? pending.remove(confirmation) : null;
    boolean fits = found != null
        && found.credential().equals(caller.credential())
        && MessageDigest.isEqual(found.action(), digest(action))
        && now.isBefore(found.expiresAt());
    if (!fits) {
      audit.append(new AuditEntry("admin.confirmation.refused:" + UUID.randomUUID(), null, null, 0,
          caller.name(), "admin.confirmation.refused", description,
          Map.of("token", caller.credential())));
      throw new InvalidInputException(HEADER, "confirmation", "is unknown, expired, used already,"
          + " or was issued for another request or token; send the request without it to get a new one");
    }
  }

  private String issue(ApiUser caller, String action, Instant now) {
    if (pending.size() >= MAX_PENDING) {
      pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
      if (pending.size() >= MAX_PENDING) {
        throw ApiException.tooManyRequests("too many admin actions wait for confirmation; confirm"
            + " or let them expire (" + ttl.toSeconds() + " s) first");
      }
    }
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    pending.put(id, new Pending(caller.credential(), digest(action), now.plus(ttl)));
    return id;
  }

  private static byte[] digest(String action) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(action.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
