package dev.forge.api.security;

import dev.forge.api.problems.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets, before its token is even looked at: an address locked out
 * after repeated authentication failures is refused (429), each address has its own rate limit
 * (429), and a body larger than the limit is refused (413) — at once when its Content-Length says
 * so, or as soon as a chunked body grows past it.
 */
final class RequestGuardFilter extends OncePerRequestFilter {

  private final FailureLockout lockout;
  private final RateLimiter perAddress;
  private final long maxBodyBytes;
  private final ProblemResponses problems;

  RequestGuardFilter(FailureLockout lockout, RateLimiter perAddress, long maxBodyBytes,
      ProblemResponses problems) {
    this.lockout = lockout;
    this.perAddress = perAddress;
    this.maxBodyBytes = maxBodyBytes;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String address = ClientAddress.key(request.getRemoteAddr());
    Duration locked = lockout.lockedFor(address);
    if (!locked.isZero()) {
      problems.tooManyRequests(request, response, locked,
          "too many failed authentications from your address; it is locked out");
      return;
    }
    Duration wait = perAddress.take(address);
    if (!wait.isZero()) {
      problems.tooManyRequests(request, response, wait, "too many requests from your address");
      return;
    }
    long length = request.getContentLengthLong();
    if (length > maxBodyBytes) {
      problems.payloadTooLarge(request, response, maxBodyBytes);
      return;
    }
    if (isForm(request.getContentType())) {
      // Forge reads JSON bodies only. A form body would be parsed into parameters by the servlet
      // container before any handler, and an undecodable one failed there with a 500 (ApiFuzzIT).
      problems.unsupportedMediaType(request, response,
          "this API reads JSON bodies only (Content-Type: application/json), not forms");
      return;
    }
    // Without a length a body can only come chunked; a request with neither has none to limit.
    boolean chunked = length < 0 && request.getHeader("Transfer-Encoding") != null;
    chain.doFilter(chunked ? new LimitedBody(request, maxBodyBytes) : request, response);
  }

  private static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(java.util.Locale.ROOT).strip();
    return type.startsWith("application/x-www-form-urlencoded")
        || type.startsWith("multipart/form-data");
  }

  /** A request whose body (of unknown length) fails once it grows past the limit. */
  private static final class LimitedBody extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream stream;

    LimitedBody(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class Counting extends ServletInputStream {

    private final ServletInputStream in;
    private final long limit;
    private long read;

    Counting(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws PayloadTooLargeException {
      read += n;
      if (read > limit) {
        throw new PayloadTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
