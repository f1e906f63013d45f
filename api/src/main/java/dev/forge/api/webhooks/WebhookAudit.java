package dev.forge.api.webhooks;

import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.prompt.UntrustedText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Audit entries of webhook deliveries: {@code webhook.refused} (with the reason), {@code
 * webhook.ignored} and {@code webhook.accepted} (with the loop). Refusals are recorded though the
 * caller is not authenticated; the per-address rate limit bounds how fast anyone can add them.
 * Never the secret, the signature or the body.
 */
@Component
class WebhookAudit {

  /**
   * Who delivered what.
   *
   * @param source the source name from the path, or null when it is not a valid name
   * @param address the client address
   * @param rawDelivery the Forge-Delivery header as sent
   */
  record Delivery(String source, String address, String rawDelivery) {

    /** The delivery id when it is well-formed, else null. */
    String delivery() {
      return rawDelivery != null && WebhookSignature.DELIVERY.matcher(rawDelivery).matches()
          ? rawDelivery : null;
    }

    String actor() {
      return "webhook:" + (source == null ? "(invalid source name)" : source);
    }
  }

  private final AuditLog audit;

  WebhookAudit(AuditLog audit) {
    this.audit = audit;
  }

  /** Records the refusal; returns {@code why} for the caller to throw. */
  <E extends Exception> E refused(Delivery at, String reason, E why) {
    Map<String, Object> detail = detail(at);
    detail.put("reason", reason);
    append(at, null, "webhook.refused", detail);
    return why;
  }

  void ignored(Delivery at, String why) {
    Map<String, Object> detail = detail(at);
    detail.put("reason", why);
    append(at, null, "webhook.ignored", detail);
  }

  void accepted(Delivery at, String loopId, String event, UntrustedText.Sanitized text) {
    Map<String, Object> detail = detail(at);
    if (event != null) {
      detail.put("event", event);
    }
    putFlags(detail, text);
    append(at, loopId, "webhook.accepted", detail);
  }

  /** Records a delivery refused because its text was flagged; returns {@code why} to throw. */
  <E extends Exception> E refusedAsSteering(Delivery at, UntrustedText.Sanitized text, E why) {
    Map<String, Object> detail = detail(at);
    detail.put("reason", "suspicious_text");
    putFlags(detail, text);
    append(at, null, "webhook.refused", detail);
    return why;
  }

  /** What the sanitizer removed or flagged: rule counts and the first steering excerpts. */
  private static void putFlags(Map<String, Object> detail, UntrustedText.Sanitized text) {
    if (!text.counts().isEmpty()) {
      detail.put("sanitized", text.summary());
    }
    if (text.suspicious()) {
      detail.put("flagged", text.steeringFindings().stream().limit(3)
          .map(f -> f.rule() + ": " + f.excerpt()).toList());
    }
  }

  private static Map<String, Object> detail(Delivery at) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("address", at.address());
    if (at.delivery() != null) {
      detail.put("delivery", at.delivery());
    }
    return detail;
  }

  private void append(Delivery at, String loopId, String action, Map<String, Object> detail) {
    String target = "POST /api/webhooks/" + (at.source() == null ? "(invalid source name)" : at.source());
    audit.append(new AuditEntry("webhook:" + UUID.randomUUID(), loopId, null, 0, at.actor(),
        action, target, detail));
  }
}
