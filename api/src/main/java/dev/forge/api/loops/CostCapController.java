package dev.forge.api.loops;

import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.UnknownFields;
import dev.forge.api.identity.ApiUser;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.loop.CapRaise;
import dev.forge.workflows.loop.LoopStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Raising the cost cap of a loop that iterates, or waits at its cap (loop.cost_cap_wait), (approver
 * role): {@code {"costCapUsd": "5.00", "reason":
 * "..."}}. The workflow refuses the loop's own starter, a cap that is not a raise, and loops that
 * no longer iterate; refusals are 403/409 and audited.
 */
@RestController
class CostCapController {

  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,6}(\\.[0-9]{1,6})?");
  private static final BigDecimal MAX_CAP = BigDecimal.valueOf(100_000);

  private final Loops loops;
  private final AuditLog audit;

  CostCapController(Loops loops, AuditLog audit) {
    this.loops = loops;
    this.audit = audit;
  }

  @PostMapping(path = "/api/loops/{loopId}/cost-cap", produces = MediaType.APPLICATION_JSON_VALUE)
  LoopStatus raise(@PathVariable String loopId, @RequestBody(required = false) CostCapBody body,
      @AuthenticationPrincipal ApiUser caller) {
    LoopIds.require(loopId);
    CapRaise raise = read(body, caller.name());
    try {
      return loops.raiseCostCap(loopId, raise);
    } catch (ApiException refused) {
      audit.append(new AuditEntry("cost-cap-refused:" + UUID.randomUUID(), loopId, null, 0,
          caller.name(), "cost_cap.raise.refused", loopId, Map.of("requested",
              raise.costCapUsd().toPlainString(), "status", refused.status(),
              "reason", refused.getMessage())));
      throw refused;
    }
  }

  private static CapRaise read(CostCapBody sent, String by) {
    List<FieldError> errors = new ArrayList<>();
    CostCapBody body = sent == null ? CostCapBody.NONE : sent;
    UnknownFields.refuse(body.unknownFields(), "costCapUsd, reason", errors);
    BigDecimal cap = cap(body.costCapUsd(), errors);
    String reason = BodyFields.reason(body.reason(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new CapRaise(by, cap, reason);
  }

  private static BigDecimal cap(Object value, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError("costCapUsd", "required", "the new cap in US dollars, e.g. \"5.00\""));
      return null;
    }
    String text = value instanceof Number || value instanceof String ? value.toString() : null;
    if (text == null || !DECIMAL.matcher(text).matches()) {
      errors.add(new FieldError("costCapUsd", "format",
          "must be an amount in US dollars with at most 6 decimal places, e.g. \"5.00\""));
      return null;
    }
    BigDecimal cap = new BigDecimal(text);
    if (cap.signum() <= 0 || cap.compareTo(MAX_CAP) > 0) {
      errors.add(new FieldError("costCapUsd", "range", "must be above 0 and at most 100000"));
      return null;
    }
    return cap;
  }
}
