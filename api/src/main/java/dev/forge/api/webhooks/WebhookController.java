package dev.forge.api.webhooks;

import dev.forge.api.ApiProperties;
import dev.forge.api.loops.LoopStarter;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.DuplicateKeys;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.PayloadTooLargeException;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import dev.forge.workflows.prompt.UntrustedText;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/webhooks/{source}}: a signed delivery (see {@link WebhookSignature}) starts a
 * loop on the source's configured repository. No token: the signature is the authentication.
 * Checked in this order, each refusal a problem and a {@code webhook.refused} audit entry: headers
 * present and well-formed (401 unsigned), the source configured with a usable secret and the
 * signature (one 401 with the same body for the three, the audit entry naming which), the signed timestamp within the tolerance (401), the delivery id not seen
 * before (409, replay), the body a JSON object with text (400), then everything {@code POST
 * /api/loops} checks. The HMAC is computed for an unknown source too, with a throwaway key, so the
 * time of the answer does not tell which sources exist.
 */
@RestController
class WebhookController {

  private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

  private final WebhookProperties properties;
  private final WebhookSecrets secrets;
  private final WebhookDeliveries deliveries;
  private final LoopStarter starter;
  private final WebhookAudit audit;
  private final JsonMapper json;
  private final long maxBodyBytes;
  private final Clock clock = Clock.systemUTC();
  private final byte[] throwawayKey = new byte[32];

  WebhookController(WebhookProperties properties, WebhookSecrets secrets,
      WebhookDeliveries deliveries, LoopStarter starter, WebhookAudit audit, JsonMapper json,
      ApiProperties api) {
    this.properties = properties;
    this.secrets = secrets;
    this.deliveries = deliveries;
    this.starter = starter;
    this.audit = audit;
    this.json = json;
    this.maxBodyBytes = api.maxRequestSize().toBytes();
    new SecureRandom().nextBytes(throwawayKey);
    properties.sources().forEach((name, source) -> {
      if (secrets.of(source).isEmpty()) {
        log.warn("{}; its deliveries are refused until it is", WebhookSecrets.missing(name, source));
      }
    });
  }

  @ApiResponse(responseCode = "202", description = "a loop was started: {loopId, delivery, status}")
  @ApiResponse(responseCode = "200", description = "the source starts no loop for this event: {ignored}")
  @PostMapping(path = "/api/webhooks/{source}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> deliver(@PathVariable("source") String name,
      HttpServletRequest request) throws IOException {
    boolean validName = WebhookProperties.SOURCE_NAME.matcher(name).matches();
    WebhookAudit.Delivery at = new WebhookAudit.Delivery(validName ? name : null,
        request.getRemoteAddr(), request.getHeader(WebhookSignature.DELIVERY_HEADER));
    byte[] body = readBody(request, at);

    Optional<WebhookSignature.Signed> signed = WebhookSignature.parse(
        request.getHeader(WebhookSignature.SIGNATURE_HEADER), at.delivery());
    WebhookProperties.Source source = validName ? properties.sources().get(name) : null;
    Optional<byte[]> secret = source == null ? Optional.empty() : secrets.of(source);
    if (signed.isEmpty()) {
      throw audit.refused(at, "unsigned", ApiException.unauthorized("a webhook must carry the"
          + " headers Forge-Delivery: <id> and Forge-Signature: t=<unix seconds>,v1=<hex"
          + " HMAC-SHA256 of '<t>.<id>.<body>'>; see docs/api.md, Signed webhooks"));
    }
    boolean verifies = WebhookSignature.verifies(signed.get(), secret.orElse(throwawayKey), body);
    if (source == null) {
      throw audit.refused(at, "unknown_source", notVerified());
    }
    if (secret.isEmpty()) {
      log.warn("refused a delivery: {}", WebhookSecrets.missing(name, source));
      throw audit.refused(at, "unconfigured", notVerified());
    }
    if (!verifies) {
      throw audit.refused(at, "bad_signature", notVerified());
    }
    Instant now = clock.instant();
    if (!WebhookSignature.fresh(signed.get().timestamp(), now, source.tolerance())) {
      throw audit.refused(at, "stale_timestamp", ApiException.unauthorized("the signed timestamp"
          + " t=" + signed.get().timestamp() + " is more than " + source.tolerance().toSeconds()
          + " s from the server's time (" + now.getEpochSecond() + "); sign each delivery when"
          + " sending it"));
    }
    boolean first;
    try {
      first = deliveries.firstTime(name, at.delivery());
    } catch (DataAccessException e) {
      log.error("cannot remember webhook delivery {} of {}: the database failed", at.delivery(), name, e);
      throw ApiException.unavailable("Forge cannot check webhook deliveries right now; try again shortly");
    }
    if (!first) {
      throw audit.refused(at, "replayed", ApiException.conflict("delivery " + at.delivery()
          + " was received before; each delivery is accepted once (send a new delivery id)"));
    }
    return start(name, source, at, body);
  }

  /**
   * One answer for an unknown source, a source without a usable secret and a wrong signature: which
   * of the three it was would tell an unauthenticated caller which sources exist and which are
   * configured. The audit entry keeps the real reason.
   */
  private static ApiException notVerified() {
    return ApiException.unauthorized("the delivery's signature cannot be verified: the"
        + " Forge-Signature must be the HMAC-SHA256, with the secret of a configured source, of"
        + " '<t>.<delivery id>.' followed by the raw body; see docs/api.md, Signed webhooks");
  }

  private ResponseEntity<Map<String, Object>> start(String name, WebhookProperties.Source source,
      WebhookAudit.Delivery at, byte[] raw) {
    String loopId = null;
    String event;
    UntrustedText.Sanitized text;
    ApiException refusal = null;
    try {
      Map<String, Object> body = jsonObject(raw);
      event = WebhookText.event(body);
      if (!source.events().isEmpty() && (event == null || !source.events().contains(event))) {
        String why = "event " + (event == null ? "(none)" : "'" + event + "'") + " is not one that"
            + " starts a loop for this source; nothing was started";
        audit.ignored(at, why);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("delivery", at.delivery());
        answer.put("ignored", why);
        return ResponseEntity.ok(answer);
      }
      WebhookText.Goal goal = WebhookText.goal(body, source.maxTextChars(), name, at.delivery());
      text = goal.text();
      if (text.suspicious() && source.onSuspiciousText() == WebhookProperties.OnSuspiciousText.REFUSE) {
        refusal = ApiException.unprocessable("the delivery's text looks like an attempt to steer"
            + " the agent (" + text.steeringSummary() + "), and source '" + name + "' refuses such"
            + " deliveries (on-suspicious-text: refuse); nothing was started");
      } else {
        ApiUser user = new ApiUser(source.startedAs(), Set.of(Role.ENGINEER), List.of(),
            "webhook:" + name);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("webhook", name);
        detail.put("delivery", at.delivery());
        if (event != null) {
          detail.put("event", event);
        }
        if (text.suspicious()) {
          detail.put("textFlagged", text.steeringSummary());
        }
        loopId = starter.startWithRepositoryConfig(source.repository(), goal.prompt(), user, detail);
      }
    } catch (InvalidInputException e) {
      throw audit.refused(at, "invalid", e);
    } catch (ApiException e) {
      throw audit.refused(at, "not_started", e);
    }
    if (refusal != null) {
      throw audit.refusedAsSteering(at, text, refusal);
    }
    audit.accepted(at, loopId, event, text);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("loopId", loopId);
    answer.put("delivery", at.delivery());
    answer.put("status", "/api/loops/" + loopId);
    return ResponseEntity.accepted().location(URI.create("/api/loops/" + loopId)).body(answer);
  }

  private byte[] readBody(HttpServletRequest request, WebhookAudit.Delivery at) throws IOException {
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (body.length > maxBodyBytes) {
        throw new PayloadTooLargeException(maxBodyBytes);
      }
      return body;
    } catch (PayloadTooLargeException e) {
      throw audit.refused(at, "too_large", e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> jsonObject(byte[] raw) {
    try {
      Object parsed = json.readValue(raw, Object.class);
      if (parsed instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
    } catch (JacksonException e) {
      DuplicateKeys.in(e).ifPresent(duplicate -> {
        throw new InvalidInputException(duplicate.field(), duplicate.rule(), duplicate.message());
      });
      // answered below, as for a body that is JSON but not an object
    }
    throw new InvalidInputException("body", "syntax",
        "the webhook body must be a JSON object (UTF-8); it is not valid JSON or not an object");
  }
}
