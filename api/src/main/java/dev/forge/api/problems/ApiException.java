package dev.forge.api.problems;

/** A request Forge refuses for a reason other than malformed input; carries its HTTP status. */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;
  private final long retryAfterSeconds;

  private ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, 0);
  }

  private ApiException(int status, String slug, String title, String detail,
      long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  /** 401: the request did not prove who sent it (a webhook without a valid signature). */
  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", "Unauthorized", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Forbidden", detail);
  }

  /** 422: well-formed, but Forge will not act on it (a webhook's text flagged as steering). */
  public static ApiException unprocessable(String detail) {
    return new ApiException(422, "unprocessable", "Unprocessable content", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail);
  }

  public static ApiException tooManyRequests(String detail) {
    return new ApiException(429, "too-many-requests", "Too many requests", detail);
  }

  /** 429 with a {@code Retry-After} of the given time (whole seconds, at least 1). */
  public static ApiException tooManyRequests(String detail, java.time.Duration retryAfter) {
    return new ApiException(429, "too-many-requests", "Too many requests", detail,
        Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "unavailable", "Service unavailable", detail);
  }

  public Problem toProblem(String instance) {
    return Problem.of(status, slug, title, getMessage(), instance);
  }

  /** Seconds for a {@code Retry-After} header; 0: none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public int status() {
    return status;
  }
}
