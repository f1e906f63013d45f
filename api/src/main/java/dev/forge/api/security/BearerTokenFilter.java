package dev.forge.api.security;

import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A request without the header continues
 * anonymously (and is refused later by authorization unless the endpoint is public); a request
 * with a malformed, unknown, expired or revoked token — or with more than one Authorization header
 * — is refused here with 401 and counts towards its address's lockout. An authenticated request then takes one from its token's rate limit.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
  private static final String PREFIX = "Bearer ";
  private static final int MAX_TOKEN_LENGTH = 512;

  private final TokenAuthenticator authenticator;
  private final FailureLockout lockout;
  private final RateLimiter perToken;
  private final AuditLog audit;
  private final ProblemResponses problems;

  BearerTokenFilter(TokenAuthenticator authenticator, FailureLockout lockout, RateLimiter perToken,
      AuditLog audit, ProblemResponses problems) {
    this.authenticator = authenticator;
    this.lockout = lockout;
    this.perToken = perToken;
    this.audit = audit;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      chain.doFilter(request, response);
      return;
    }
    if (Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION)).size() > 1) {
      // Which one counts would depend on who reads the request (a proxy may pick the last, Forge
      // the first): refused, and counted as a malformed header is, even if one of them is valid.
      fail(request, response, "send exactly one Authorization header, 'Bearer <token>'");
      return;
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || header.length() > PREFIX.length() + MAX_TOKEN_LENGTH
        || header.substring(PREFIX.length()).isBlank()) {
      fail(request, response, "the Authorization header must be 'Bearer <token>'");
      return;
    }
    TokenAuthenticator.Result result;
    try {
      result = authenticator.authenticate(header.substring(PREFIX.length()).trim());
    } catch (DataAccessException e) {
      log.error("cannot check a bearer token: the database failed", e);
      problems.unavailable(request, response, "Forge cannot check tokens right now; try again shortly");
      return;
    }
    switch (result.outcome()) {
      case INVALID -> fail(request, response, "the bearer token is not valid");
      case EXPIRED -> fail(request, response, "the bearer token has expired; ask an admin for a new one");
      case REVOKED -> fail(request, response, "the bearer token has been revoked");
      case AUTHENTICATED -> authenticated(request, response, chain, result.user());
    }
  }

  private void authenticated(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, ApiUser user) throws ServletException, IOException {
    Duration wait = perToken.take(user.credential());
    if (!wait.isZero()) {
      problems.tooManyRequests(request, response, wait, "too many requests with this token");
      return;
    }
    // Every token is a viewer; the roles it lists come on top.
    var authorities = Stream.concat(Stream.of(Role.VIEWER), user.roles().stream()).distinct()
        .map(role -> new SimpleGrantedAuthority(role.authority())).toList();
    var authentication = UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
    var context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(authentication);
    SecurityContextHolder.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  private void fail(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    String address = ClientAddress.key(request.getRemoteAddr());
    if (lockout.recordFailure(address)) {
      log.warn("locking out {} after repeated authentication failures", address);
      try {
        audit.append(new AuditEntry("lockout:" + UUID.randomUUID(), null, null, 0, "anonymous",
            "auth.locked_out", address, Map.of("reason", "repeated authentication failures")));
      } catch (DataAccessException e) {
        log.error("cannot record the lockout of {}", address, e);
      }
    }
    problems.unauthorized(request, response, detail);
  }
}
