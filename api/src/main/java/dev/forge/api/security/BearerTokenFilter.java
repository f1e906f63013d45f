package dev.forge.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A request without the header continues
 * anonymously (and is refused later by authorization unless the endpoint is public); a request
 * with a malformed or unknown token is refused here with 401.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

  private static final String PREFIX = "Bearer ";
  private static final int MAX_TOKEN_LENGTH = 512;

  private final ApiUsers users;
  private final ProblemResponses problems;

  BearerTokenFilter(ApiUsers users, ProblemResponses problems) {
    this.users = users;
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
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || header.length() > PREFIX.length() + MAX_TOKEN_LENGTH
        || header.substring(PREFIX.length()).isBlank()) {
      problems.unauthorized(request, response,
          "the Authorization header must be 'Bearer <token>'");
      return;
    }
    Optional<ApiUser> user = users.authenticate(header.substring(PREFIX.length()).trim());
    if (user.isEmpty()) {
      problems.unauthorized(request, response, "the bearer token is not valid");
      return;
    }
    var authorities = user.get().roles().stream()
        .map(role -> new SimpleGrantedAuthority(role.authority())).toList();
    var authentication = UsernamePasswordAuthenticationToken.authenticated(user.get(), null, authorities);
    var context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(authentication);
    SecurityContextHolder.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
