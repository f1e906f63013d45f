package dev.forge.api.security;

import dev.forge.api.ApiProperties;
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
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
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

  /**
   * Nothing the API answers is a page: no scripts, styles, frames, forms or base URLs, from
   * anywhere.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /**
   * The Swagger UI's pages ({@code /swagger-ui/**}) are the one place a browser runs Forge's
   * answers: its own scripts, styles, fonts and images and its fetches of the document, all from
   * this origin only. No inline or evaluated script, no other origin, no frames, forms or base
   * URL; {@code 'unsafe-inline'} for styles only, as the UI sets style attributes (a style cannot
   * run code). Every other answer keeps {@link #CONTENT_SECURITY_POLICY}.
   */
  static final String SWAGGER_UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'"
      + " 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self';"
      + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static final RequestMatcher SWAGGER_UI =
      PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**");

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
        .headers(headers -> headers
            .contentTypeOptions(options -> {})
            .frameOptions(frame -> frame.deny())
            .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(SWAGGER_UI,
                new StaticHeadersWriter("Content-Security-Policy", SWAGGER_UI_POLICY)))
            .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(SWAGGER_UI),
                new StaticHeadersWriter("Content-Security-Policy", CONTENT_SECURITY_POLICY)))
            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
            // Sent on requests that arrived over TLS (directly, or through a trusted proxy that
            // says so in X-Forwarded-Proto, see README); never over plain HTTP, where it means nothing.
            .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)))
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
          + "; the API section of README.md lists every endpoint and the role it needs";
    }
    String why = endpoint.get().what() + " needs the " + endpoint.get().roleNames()
        + " role, which your token does not have";
    if (path.matches("/api/loops/[^/]+/gates/[^/]+/(approve|reject)")) {
      why += "; an engineer cannot approve gates, least of all of a loop they started";
    }
    return why;
  }
}
