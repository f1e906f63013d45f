package dev.forge.activities.sandbox;

import dev.forge.activities.sandbox.egress.EgressDecision;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.sandbox.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the one audit entry of a sandbox step attempt: what ran, how it ended, bounded output and
 * usage. Every attempt gets one, rejected and failed ones included. Credential values never appear:
 * the entry holds variable names only, and text from the sandbox is redacted.
 */
final class StepAudit {

  static final String ACTION = "sandbox.command";
  static final String EGRESS_ALLOWED = "egress.allowed";
  static final String EGRESS_DENIED = "egress.denied";
  static final int MAX_ARG_CHARS = 200;

  private final AuditLog log;
  private final int outputBudget;

  StepAudit(AuditLog log, int outputBudget) {
    this.log = log;
    this.outputBudget = outputBudget;
  }

  static String requestId(SandboxStep step, int attempt) {
    return "sandbox:" + step.loopId() + ":" + step.iteration() + ":" + step.step() + ":" + attempt;
  }

  void write(SandboxStep step, ActivityContext context, Attempt attempt) {
    log.append(
        new AuditEntry(
            requestId(step, context.attempt()),
            step.loopId(),
            context.runId(),
            step.iteration(),
            "agent".equals(step.step()) ? "agent" : "forge",
            ACTION,
            step.step(),
            detail(step, attempt)));
  }

  /**
   * Writes one entry per decision of the step's egress proxy: {@code egress.allowed} or {@code
   * egress.denied}, with the destination as target. Keyed by attempt and position, so writing the
   * same attempt's decisions again adds nothing. The destination is chosen by the sandbox, so it is
   * redacted like its output (a credential can be spelled into a host name).
   */
  void writeEgress(SandboxStep step, ActivityContext context, List<EgressDecision> decisions,
      Redactor redactor) {
    for (int i = 0; i < decisions.size(); i++) {
      EgressDecision decision = decisions.get(i);
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("step", step.step());
      detail.put("method", decision.method());
      detail.put("resultCode", decision.resultCode());
      detail.put("httpStatus", decision.httpStatus());
      putIfPresent(detail, "serverIp", decision.serverIp());
      putIfPresent(detail, "at", decision.timestamp() == null ? null : decision.timestamp().toString());
      log.append(
          new AuditEntry(
              "egress:" + step.loopId() + ":" + step.iteration() + ":" + step.step() + ":"
                  + context.attempt() + ":" + i,
              step.loopId(),
              context.runId(),
              step.iteration(),
              "agent".equals(step.step()) ? "agent" : "forge",
              decision.allowed() ? EGRESS_ALLOWED : EGRESS_DENIED,
              redactor.redact(decision.destination()),
              detail));
    }
  }

  private Map<String, Object> detail(SandboxStep step, Attempt attempt) {
    Redactor redactor = attempt.redactor();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("outcome", attempt.outcome());
    if (step.sandbox() != null) {
      detail.put("image", step.sandbox().image());
      detail.put("envNames", List.copyOf(step.sandbox().env().keySet()));
      detail.put("network", String.valueOf(step.sandbox().network()));
      if (!step.sandbox().allowedHosts().isEmpty()) {
        detail.put("allowedHosts", step.sandbox().allowedHosts());
      }
      if (!step.sandbox().mounts().isEmpty()) {
        detail.put("mounts", step.sandbox().mounts().stream()
            .map(m -> m.source() + " -> " + m.target() + (m.readOnly() ? " (ro)" : " (rw)"))
            .toList());
      }
      putIfPresent(detail, "runtime", step.sandbox().runtime());
      if (step.sandbox().limits() != null) {
        detail.put("limits", limits(step.sandbox().limits()));
      }
    }
    detail.put("argv", step.command().stream().map(a -> shorten(redactor.redact(a))).toList());
    putIfPresent(detail, "containerId", attempt.containerId());
    if (attempt.ending() != null) {
      detail.put("exitCode", attempt.ending().exitCode());
      detail.put("durationMs", attempt.ending().durationMillis());
    }
    StepOutput output = attempt.output();
    if (output != null) {
      StepOutput.AuditOutput kept = output.forAudit(outputBudget);
      detail.put("outputHead", kept.head());
      detail.put("outputTail", kept.tail());
      detail.put("outputTruncated", kept.truncated());
      detail.put("outputBytes", output.totalBytes());
      if (attempt.ending() != null) {
        detail.put("promiseSeen", output.promiseSeen());
        if (step.usage() != null) {
          putUsage(detail, step, output.usage());
          long malformed = output.usageMalformedLines();
          if (malformed > 0) {
            detail.put("usageMalformedLines", malformed);
          }
        }
      }
    }
    if (attempt.preflight() != null) {
      detail.put("preflight", attempt.preflight().forAudit());
    }
    putIfPresent(detail, "errorType", attempt.errorType());
    putIfPresent(detail, "error", redactor.redact(attempt.error()));
    return detail;
  }

  private static Map<String, Object> limits(SandboxLimits limits) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("memoryBytes", limits.memoryBytes());
    map.put("nanoCpus", limits.nanoCpus());
    map.put("pids", limits.pids());
    map.put("timeoutSeconds", limits.timeoutSeconds());
    map.put("tmpfsBytes", limits.tmpfsBytes());
    map.put("outputBytes", limits.outputBytes());
    map.put("diskBytes", limits.diskBytes());
    return map;
  }

  private static void putUsage(Map<String, Object> detail, SandboxStep step, Usage usage) {
    detail.put("usageFormat", step.usage().name());
    detail.put("inputTokens", usage.inputTokens());
    detail.put("cachedInputTokens", usage.cachedInputTokens());
    detail.put("cacheWriteTokens", usage.cacheWriteTokens());
    detail.put("outputTokens", usage.outputTokens());
    // A string keeps the decimal exact whatever the JSON layer does with numbers.
    detail.put("costUsd", usage.costUsd().toPlainString());
    detail.put("costSource", usage.costSource());
    putIfPresent(detail, "model", usage.model());
    putIfPresent(detail, "priceTable", usage.priceTable());
  }

  static String shorten(String arg) {
    if (arg == null || arg.length() <= MAX_ARG_CHARS) {
      return arg;
    }
    return arg.substring(0, MAX_ARG_CHARS) + "...[" + arg.length() + " chars]";
  }

  private static void putIfPresent(Map<String, Object> detail, String key, Object value) {
    if (value != null) {
      detail.put(key, value);
    }
  }

  /** What one attempt got to before it ended; filled in as the attempt goes. */
  static final class Attempt {
    private Redactor redactor = Redactor.none();
    private String containerId;
    private StepOutput output;
    private ContainerRunner.Ending ending;
    private Preflight.Evidence preflight;
    private String outcome = "FAILED";
    private String errorType;
    private String error;

    Redactor redactor() {
      return redactor;
    }

    void prepared(PreparedStep prepared) {
      this.redactor = prepared.redactor();
    }

    String containerId() {
      return containerId;
    }

    void created(String id, StepOutput out) {
      this.containerId = id;
      this.output = out;
    }

    StepOutput output() {
      return output;
    }

    ContainerRunner.Ending ending() {
      return ending;
    }

    void ended(ContainerRunner.Ending end) {
      this.ending = end;
      this.outcome = end.outcome().name();
    }

    String outcome() {
      return outcome;
    }

    Preflight.Evidence preflight() {
      return preflight;
    }

    void preflight(Preflight.Evidence evidence) {
      this.preflight = evidence;
    }

    void failed(String outcomeLabel, String type, String message) {
      this.outcome = outcomeLabel;
      this.errorType = type;
      this.error = message;
    }

    String errorType() {
      return errorType;
    }

    String error() {
      return error;
    }
  }
}
