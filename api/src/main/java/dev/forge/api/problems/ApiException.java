package dev.forge.api.problems;

/** A request Forge refuses for a reason other than malformed input; carries its HTTP status. */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;

  private ApiException(int status, String slug, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Forbidden", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail);
  }

  public static ApiException tooManyRequests(String detail) {
    return new ApiException(429, "too-many-requests", "Too many requests", detail);
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "unavailable", "Service unavailable", detail);
  }

  public Problem toProblem(String instance) {
    return Problem.of(status, slug, title, getMessage(), instance);
  }

  public int status() {
    return status;
  }
}
