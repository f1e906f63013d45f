package dev.forge.api.security;

import dev.forge.api.ApiProperties;
import dev.forge.audit.AuditLog;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. Every endpoint names its roles here; anything not listed is denied. The API
 * is stateless (bearer tokens, no sessions, no cookies), so CSRF protection does not apply.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  private static final String ENGINEER = Role.ENGINEER.name();
  private static final String APPROVER = Role.APPROVER.name();

  @Bean
  ApiUsers apiUsers(ApiProperties properties) {
    return new ApiUsers(properties);
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, ApiUsers users, JsonMapper json, AuditLog audit) {
    ProblemResponses problems = new ProblemResponses(json);
    AccessDenials denials = new AccessDenials(audit);
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .anonymous(anonymous -> {})
        .addFilterBefore(new BearerTokenFilter(users, problems), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> auth
            // An async dispatch (an event stream completing) continues a request authorized already.
            .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers("/error").permitAll()
            .requestMatchers(HttpMethod.POST, "/api/loops").hasRole(ENGINEER)
            .requestMatchers(HttpMethod.POST, "/api/loops/*/gates/*/approve",
                "/api/loops/*/gates/*/reject", "/api/loops/*/cost-cap").hasRole(APPROVER)
            .requestMatchers(HttpMethod.POST, "/api/loops/*/cancel", "/api/loops/*/pause",
                "/api/loops/*/resume", "/api/loops/*/rollback").hasAnyRole(ENGINEER, APPROVER)
            .requestMatchers(HttpMethod.GET, "/api/loops", "/api/loops/*", "/api/loops/*/history",
                "/api/loops/*/audit", "/api/loops/*/audit.jsonl", "/api/loops/*/events")
            .hasAnyRole(ENGINEER, APPROVER)
            .anyRequest().denyAll())
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
    if (path.matches("/api/loops/[^/]+/gates/[^/]+/(approve|reject)")) {
      return "deciding a gate needs the approver role, which your token does not have;"
          + " an engineer cannot approve gates, least of all of a loop they started";
    }
    if ("POST".equals(method) && "/api/loops".equals(path)) {
      return "starting a loop needs the engineer role, which your token does not have";
    }
    return "your roles do not allow " + method + " " + path
        + "; the API section of README.md lists the role each endpoint needs";
  }
}
