package dev.forge.activities.sandbox.gateway;

import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.ModelCallEntry;
import dev.forge.audit.ModelCallLedger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps what the gateway saw: every call in the model call ledger (the step's cost of record) and
 * as a {@code model.call} or {@code model.refused} audit entry, every tool call the model asked for
 * as an {@code agent.tool} entry (FORGE's audit line: agent, action, target, iteration, loop id),
 * and every tool result that looked like prompt injection as a {@code prompt.flagged} entry. Each
 * write is keyed by the gateway's call id, so writing it again stores nothing new.
 */
public final class LedgerModelCallRecorder implements ModelCallRecorder {

  public static final String MODEL_CALL = "model.call";
  public static final String MODEL_REFUSED = "model.refused";
  public static final String AGENT_TOOL = "agent.tool";
  public static final String PROMPT_FLAGGED = "prompt.flagged";

  private final ModelCallLedger ledger;
  private final AuditLog audit;

  public LedgerModelCallRecorder(ModelCallLedger ledger, AuditLog audit) {
    this.ledger = ledger;
    this.audit = audit;
  }

  @Override
  public void call(ModelCall c) {
    ledger.record(new ModelCallEntry(UUID.fromString(c.callId()), c.loopId(), c.iteration(),
        c.step(), c.attempt(), c.provider().configName(), c.model(), c.path(), c.status(),
        c.streamed(), c.inputTokens(), c.cachedInputTokens(), c.cacheWriteTokens(),
        c.outputTokens(), c.costUsd(), c.costSource(), c.reservedUsd(), c.latencyMs(),
        c.refusalRule()));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("callId", c.callId());
    detail.put("step", c.step());
    detail.put("provider", c.provider().configName());
    putIfPresent(detail, "model", c.model());
    detail.put("method", c.method());
    detail.put("path", c.path());
    detail.put("status", c.status());
    detail.put("streamed", c.streamed());
    detail.put("inputTokens", c.inputTokens());
    detail.put("cachedInputTokens", c.cachedInputTokens());
    detail.put("cacheWriteTokens", c.cacheWriteTokens());
    detail.put("outputTokens", c.outputTokens());
    detail.put("costUsd", c.costUsd().toPlainString());
    detail.put("costSource", c.costSource());
    detail.put("reservedUsd", c.reservedUsd().toPlainString());
    detail.put("latencyMs", c.latencyMs());
    detail.put("firstByteMs", c.firstByteMs());
    putIfPresent(detail, "rule", c.refusalRule());
    putIfPresent(detail, "refusal", c.refusal());
    boolean refused = c.refusalRule() != null;
    String action = refused ? MODEL_REFUSED : MODEL_CALL;
    audit.append(new AuditEntry(action + ":" + c.callId(), c.loopId(), runId(c.attempt()),
        c.iteration(), "agent", action,
        c.method() + " " + c.path() + (c.model() == null ? "" : " " + c.model()), detail));
  }

  @Override
  public void tool(AgentToolCall t) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("callId", t.callId());
    detail.put("step", t.step());
    detail.put("provider", t.provider().configName());
    detail.put("tool", t.tool());
    putIfPresent(detail, "toolUseId", t.toolUseId());
    audit.append(new AuditEntry(AGENT_TOOL + ":" + t.callId() + ":" + t.toolUseId() + ":"
        + t.tool(), t.loopId(), null, t.iteration(), "agent", AGENT_TOOL, t.target(), detail));
  }

  @Override
  public void flagged(FlaggedToolResult f) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("callId", f.callId());
    detail.put("step", f.step());
    detail.put("source", "tool_result");
    detail.put("rule", f.rule());
    detail.put("category", f.category());
    detail.put("excerpt", f.excerpt());
    detail.put("refused", f.refused());
    putIfPresent(detail, "toolUseId", f.toolUseId());
    audit.append(new AuditEntry(PROMPT_FLAGGED + ":" + f.callId() + ":" + f.toolUseId() + ":"
        + f.rule(), f.loopId(), null, f.iteration(), "forge", PROMPT_FLAGGED,
        "tool result " + (f.toolUseId() == null ? "" : f.toolUseId()), detail));
  }

  /** The workflow run id of an attempt written as {@code <runId>:<attempt>}. */
  private static String runId(String attempt) {
    int colon = attempt.lastIndexOf(':');
    return colon < 0 ? attempt : attempt.substring(0, colon);
  }

  private static void putIfPresent(Map<String, Object> detail, String key, Object value) {
    if (value != null) {
      detail.put(key, value);
    }
  }
}
