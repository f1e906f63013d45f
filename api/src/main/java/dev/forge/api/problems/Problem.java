package dev.forge.api.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code errors} lists every field
 * that broke a rule (400, 413); {@code confirmation}, {@code expiresAt} and {@code action} (what will be done) are set on a 428 that
 * asks for an admin action to be confirmed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, List<FieldError> errors,
    String confirmation, String expiresAt, String action) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://forge.dev/problems/";

  public Problem(String type, String title, int status, String detail, String instance,
      List<FieldError> errors) {
    this(type, title, status, detail, instance, errors, null, null, null);
  }

  public static Problem of(int status, String slug, String title, String detail, String instance) {
    return new Problem(TYPE_BASE + slug, title, status, detail, instance, null);
  }

  /**
   * The problem for a bare status, as the container reports it (the firewall's refusals, Tomcat's
   * own errors): its reason only, never the cause; a 5xx says where the details are.
   */
  public static Problem forStatus(int status, String instance) {
    org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
    String reason = known == null ? "Error" : known.getReasonPhrase();
    String slug = known == null ? "error" : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    String detail = status >= 500
        ? "Forge failed unexpectedly; the server log has the details"
        : "the request was refused: " + reason.toLowerCase(java.util.Locale.ROOT);
    return of(status, slug, reason, detail, instance);
  }

  public static Problem invalid(List<FieldError> errors, String instance) {
    return new Problem(TYPE_BASE + "invalid-input", "Invalid input", 400,
        errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid; see errors",
        instance, errors);
  }

  /** 413: the body is larger than {@code limit} bytes. */
  public static Problem payloadTooLarge(long limit, String instance) {
    FieldError error = new FieldError("body", "max_size",
        "is larger than the " + limit + " bytes this API accepts (forge.api.max-request-size)");
    return new Problem(TYPE_BASE + "payload-too-large", "Payload too large", 413,
        "body: " + error.message(), instance, List.of(error));
  }

  /** 428: send the same request again with the confirmation id in header {@code Forge-Confirmation}. */
  public static Problem confirmationRequired(String detail, String confirmation, String expiresAt,
      String action, String instance) {
    return new Problem(TYPE_BASE + "confirmation-required", "Confirmation required", 428, detail,
        instance, null, confirmation, expiresAt, action);
  }
}
