package dev.forge.api;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * {@code forge.api.*}: who may call the API, how often, with how much, and which repositories
 * loops may work on. Every value has a default; see docs/configuration.md.
 *
 * @param users the configured API users (the bootstrap path; admins create further tokens through
 *     the API); each authenticates with a bearer token whose SHA-256 is configured
 * @param allowedRoots directories under which a loop's repository must lie (after resolving
 *     symlinks); a repository anywhere else is refused
 * @param rateLimit requests per token and per client address
 * @param lockout how repeated authentication failures from one address lock it out
 * @param maxRequestSize the largest request body accepted (413 beyond)
 * @param tokens lifetimes of the tokens admins create
 * @param admin how admin actions are confirmed
 */
@ConfigurationProperties("forge.api")
public record ApiProperties(List<User> users, List<String> allowedRoots, RateLimit rateLimit,
    Lockout lockout, DataSize maxRequestSize, Tokens tokens, Admin admin) {

  @ConstructorBinding
  public ApiProperties {
    users = users == null ? List.of() : List.copyOf(users);
    allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
    rateLimit = rateLimit == null ? new RateLimit(null, null, null) : rateLimit;
    lockout = lockout == null ? new Lockout(null, null, null) : lockout;
    maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(1) : maxRequestSize;
    if (maxRequestSize.toBytes() < 1024) {
      throw new IllegalStateException("forge.api.max-request-size must be at least 1KB, got " + maxRequestSize);
    }
    tokens = tokens == null ? new Tokens(null, null) : tokens;
    admin = admin == null ? new Admin(null) : admin;
  }

  /** Users and roots only, every limit at its default. */
  public ApiProperties(List<User> users, List<String> allowedRoots) {
    this(users, allowedRoots, null, null, null, null, null);
  }

  /**
   * One API user.
   *
   * @param name the user's name, as recorded in audit entries and matched against gate approvers
   * @param roles any of {@code viewer}, {@code engineer}, {@code approver}, {@code admin}
   * @param groups groups matched against gate approver lists
   * @param tokenSha256 hex SHA-256 of the user's bearer token; the token itself is never stored
   */
  public record User(String name, List<String> roles, List<String> groups, String tokenSha256) {

    public User {
      roles = roles == null ? List.of() : List.copyOf(roles);
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  /**
   * Token buckets: each token, and each client address, may make {@code requests} requests per
   * {@code period} (as a burst, refilled evenly over the period).
   *
   * @param tokenRequests per token (default 600)
   * @param addressRequests per client address, authenticated or not (default 1200)
   * @param period the period both refill over (default 1m)
   */
  public record RateLimit(Integer tokenRequests, Integer addressRequests, Duration period) {

    public RateLimit {
      tokenRequests = positive(tokenRequests, 600, "forge.api.rate-limit.token-requests");
      addressRequests = positive(addressRequests, 1200, "forge.api.rate-limit.address-requests");
      period = positive(period, Duration.ofMinutes(1), "forge.api.rate-limit.period");
    }
  }

  /**
   * An address from which {@code maxFailures} requests within {@code window} presented a token that
   * is malformed, unknown, expired or revoked is refused everything for {@code duration}.
   */
  public record Lockout(Integer maxFailures, Duration window, Duration duration) {

    public Lockout {
      maxFailures = positive(maxFailures, 10, "forge.api.lockout.max-failures");
      window = positive(window, Duration.ofMinutes(5), "forge.api.lockout.window");
      duration = positive(duration, Duration.ofMinutes(15), "forge.api.lockout.duration");
    }
  }

  /**
   * @param defaultLifetime how long a created token lives when the request names no {@code
   *     expiresIn} (default 30d)
   * @param maxLifetime the longest {@code expiresIn} accepted (default 365d)
   */
  public record Tokens(Duration defaultLifetime, Duration maxLifetime) {

    public Tokens {
      defaultLifetime = positive(defaultLifetime, Duration.ofDays(30), "forge.api.tokens.default-lifetime");
      maxLifetime = positive(maxLifetime, Duration.ofDays(365), "forge.api.tokens.max-lifetime");
      if (defaultLifetime.compareTo(maxLifetime) > 0) {
        throw new IllegalStateException("forge.api.tokens.default-lifetime (" + defaultLifetime
            + ") is longer than forge.api.tokens.max-lifetime (" + maxLifetime + ")");
      }
    }
  }

  /** @param confirmationTtl how long a confirmation id of an admin action stays valid (default 2m) */
  public record Admin(Duration confirmationTtl) {

    public Admin {
      confirmationTtl = positive(confirmationTtl, Duration.ofMinutes(2), "forge.api.admin.confirmation-ttl");
    }
  }

  private static int positive(Integer value, int otherwise, String name) {
    if (value == null) {
      return otherwise;
    }
    if (value < 1) {
      throw new IllegalStateException(name + " must be at least 1, got " + value);
    }
    return value;
  }

  private static Duration positive(Duration value, Duration otherwise, String name) {
    if (value == null) {
      return otherwise;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalStateException(name + " must be a positive duration, got " + value);
    }
    return value;
  }
}
