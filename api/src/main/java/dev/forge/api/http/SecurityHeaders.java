package dev.forge.api.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The one definition of the security headers every answer of Forge's server carries — answers of
 * the API, of the security filter chain, and those Tomcat writes itself (a request the firewall or
 * the HTTP parser rejects, TRACE, CONNECT, a bad encoding): {@link SecurityHeadersValve} sets them
 * on every request before anything else may answer it. A handler may still replace one (the event
 * stream sends {@code Cache-Control: no-cache}).
 */
public final class SecurityHeaders {

  /**
   * Nothing the API answers is a page: no scripts, styles, frames, forms or base URLs, from
   * anywhere.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /**
   * The Swagger UI's pages ({@code /swagger-ui/**}) are the one place a browser runs Forge's
   * answers: its own scripts, styles, fonts and images and its fetches of the document, all from
   * this origin only. No inline or evaluated script, no other origin, no frames, forms or base
   * URL; {@code 'unsafe-inline'} for styles only, as the UI sets style attributes (a style cannot
   * run code). Every other answer keeps {@link #CONTENT_SECURITY_POLICY}.
   */
  public static final String SWAGGER_UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'"
      + " 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self';"
      + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /** One year, subdomains included; sent over TLS only (over plain HTTP it means nothing). */
  static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000 ; includeSubDomains";

  private static final String SWAGGER_UI = "/swagger-ui/";

  private SecurityHeaders() {}

  /**
   * Sets the headers on {@code response}. {@code request.isSecure()} is true over TLS, directly or
   * through a trusted proxy that says so in X-Forwarded-Proto (see docs/configuration.md).
   */
  public static void write(HttpServletRequest request, HttpServletResponse response) {
    String uri = request.getRequestURI();
    // The raw URI: a path that only decodes or normalises to /swagger-ui/ keeps the strict policy.
    boolean swaggerUi = uri != null && uri.startsWith(SWAGGER_UI);
    response.setHeader("Content-Security-Policy", swaggerUi ? SWAGGER_UI_POLICY : CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
    response.setHeader("Pragma", "no-cache");
    response.setHeader("Expires", "0");
    if (request.isSecure()) {
      response.setHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    }
  }
}
