package dev.forge.api.security;

import dev.forge.api.identity.ApiUser;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import dev.forge.spec.loop.LoopId;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Records every 403 of an authenticated caller in the audit log, tied to the loop when the path
 * names one. (Unauthenticated 401s are not recorded: anyone could fill the log with them.)
 */
final class AccessDenials {

  private static final Pattern LOOP_PATH = Pattern.compile(
      "^/api/loops/(" + LoopId.ISSUED_REGEX + ")(/.*)?$");

  private final AuditLog audit;

  AccessDenials(AuditLog audit) {
    this.audit = audit;
  }

  void record(HttpServletRequest request, String reason) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    String actor = authentication != null && authentication.getPrincipal() instanceof ApiUser user
        ? user.name() : "anonymous";
    String path = request.getRequestURI();
    Matcher loop = LOOP_PATH.matcher(path);
    String target = request.getMethod() + " " + (path.length() > 200 ? path.substring(0, 200) : path);
    audit.append(new AuditEntry("denied:" + UUID.randomUUID(), loop.matches() ? loop.group(1) : null,
        null, 0, actor, "access.denied", target, Map.of("reason", reason)));
  }
}
