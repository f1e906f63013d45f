package dev.forge.activities.audit;

import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.CostEntry;
import dev.forge.audit.CostLedger;
import dev.forge.workflows.audit.AuditActivities;
import dev.forge.workflows.audit.AuditRecord;
import dev.forge.workflows.audit.UsageRecord;
import dev.forge.workflows.sandbox.Usage;
import io.temporal.activity.Activity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the workflow's audit entries and usage records to PostgreSQL, idempotently. */
public final class LedgerAuditActivities implements AuditActivities {

  private final AuditLog auditLog;
  private final CostLedger ledger;

  public LedgerAuditActivities(AuditLog auditLog, CostLedger ledger) {
    this.auditLog = auditLog;
    this.ledger = ledger;
  }

  @Override
  public void record(AuditRecord r) {
    auditLog.append(new AuditEntry(r.requestId(), r.loopId(), runId(), r.iteration(), r.actor(),
        r.action(), r.target(), new LinkedHashMap<>(r.detail())));
  }

  @Override
  public void recordUsage(UsageRecord r) {
    Usage u = r.usage();
    ledger.record(new CostEntry(r.loopId(), r.iteration(), u.inputTokens(), u.cachedInputTokens(),
        u.cacheWriteTokens(), u.outputTokens(), u.costUsd(), u.costSource(), u.model(),
        r.totalCostUsd(), r.capUsd()));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("inputTokens", u.inputTokens());
    detail.put("cachedInputTokens", u.cachedInputTokens());
    detail.put("cacheWriteTokens", u.cacheWriteTokens());
    detail.put("outputTokens", u.outputTokens());
    detail.put("costUsd", u.costUsd().toPlainString());
    detail.put("costSource", u.costSource());
    detail.put("totalCostUsd", r.totalCostUsd().toPlainString());
    detail.put("capUsd", r.capUsd().toPlainString());
    auditLog.append(new AuditEntry("cost:" + r.loopId() + ":" + r.iteration(), r.loopId(),
        runId(), r.iteration(), "forge", "cost.recorded", u.model(), detail));
  }

  private static String runId() {
    return Activity.getExecutionContext().getInfo().getWorkflowRunId();
  }
}
