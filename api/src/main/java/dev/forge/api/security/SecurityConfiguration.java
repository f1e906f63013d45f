package dev.forge.api.security;

import dev.forge.api.ApiProperties;
import dev.forge.api.confirmations.AdminConfirmations;
import dev.forge.api.identity.ApiUsers;
import dev.forge.api.identity.Role;
import dev.forge.api.tokens.ApiTokens;
import dev.forge.api.tokens.KnownNames;
import dev.forge.audit.AuditLog;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what, how often, and with how much. Every endpoint names its roles in {@link
 * Endpoints}; anything not listed there is denied. The API is stateless (bearer tokens, no
 * sessions, no cookies), so CSRF protection does not apply.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  /** How many tokens or addresses the in-memory limits track at most. */
  private static final int MAX_TRACKED = 100_000;

  @Bean
  ApiUsers apiUsers(ApiProperties properties) {
    return new ApiUsers(properties);
  }

  @Bean
  ApiTokens apiTokens(JdbcClient jdbc) {
    return new ApiTokens(jdbc);
  }

  @Bean
  KnownNames knownNames(ApiUsers users, ApiTokens tokens) {
    return new KnownNames(users, tokens);
  }

  @Bean
  AdminConfirmations adminConfirmations(ApiProperties properties, AuditLog audit) {
    return new AdminConfirmations(properties.admin().confirmationTtl(), Clock.systemUTC(), audit);
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, ApiProperties properties, ApiUsers users,
      ApiTokens tokens, JsonMapper json, AuditLog audit) {
    ProblemResponses problems = new ProblemResponses(json);
    AccessDenials denials = new AccessDenials(audit);
    Clock clock = Clock.systemUTC();
    ApiProperties.RateLimit limits = properties.rateLimit();
    ApiProperties.Lockout lock = properties.lockout();
    FailureLockout lockout = new FailureLockout(lock.maxFailures(), lock.window(), lock.duration(),
        clock, MAX_TRACKED);
    RateLimiter perAddress = new RateLimiter(limits.addressRequests(), limits.period(), clock, MAX_TRACKED);
    RateLimiter perToken = new RateLimiter(limits.tokenRequests(), limits.period(), clock, MAX_TRACKED);

    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .anonymous(anonymous -> {})
        // Every answer's headers, this chain's included, are set by SecurityHeadersValve
        // (dev.forge.api.http), which also reaches the answers Tomcat writes itself.
        .headers(headers -> headers.disable())
        // In this order: the guard (lockout, per-address limit, body size), then the token.
        .addFilterBefore(new RequestGuardFilter(lockout, perAddress,
            properties.maxRequestSize().toBytes(), problems), AnonymousAuthenticationFilter.class)
        .addFilterBefore(new BearerTokenFilter(new TokenAuthenticator(users, tokens), lockout,
            perToken, audit, problems), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> {
          // An async dispatch (an event stream completing) continues a request authorized already.
          auth.dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll();
          auth.requestMatchers("/error").permitAll();
          for (Endpoint endpoint : Endpoints.ALL) {
            var matcher = auth.requestMatchers(endpoint.method(), endpoint.pattern());
            if (endpoint.isPublic()) {
              matcher.permitAll();
            } else {
              matcher.hasAnyRole(endpoint.roles().stream().map(Role::name).toArray(String[]::new));
            }
          }
          auth.anyRequest().denyAll();
        })
        .exceptionHandling(e -> e
            .authenticationEntryPoint((request, response, ex) -> problems.unauthorized(request,
                response, "this endpoint needs 'Authorization: Bearer <token>'"))
            .accessDeniedHandler((request, response, ex) -> {
              String why = deniedBecause(request.getMethod(), request.getRequestURI());
              denials.record(request, why);
              problems.forbidden(request, response, why);
            }));
    return http.build();
  }

  /** Says which role was missing, so a refused caller knows what to ask for. */
  static String deniedBecause(String method, String path) {
    Optional<Endpoint> endpoint = Endpoints.find(method, path);
    if (endpoint.isEmpty()) {
      return "no API token may call " + method + " " + path
          + "; docs/api.md lists every endpoint and the role it needs";
    }
    String why = endpoint.get().what() + " needs the " + endpoint.get().roleNames()
        + " role, which your token does not have";
    if (path.matches("/api/loops/[^/]+/gates/[^/]+/(approve|reject)")) {
      why += "; an engineer cannot approve gates, least of all of a loop they started";
    }
    return why;
  }
}
