package dev.forge.activities.workspace;

import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.workspace.Checkpoint;
import dev.forge.workflows.workspace.Workspace;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one audit entry per workspace operation. Request ids are derived from what the operation
 * produced, so a retried activity writes nothing new.
 */
final class WorkspaceAudit {

  static final String ACTOR = "forge";
  static final int MAX_FILES = 100;
  private static final int MAX_REASON = 1000;

  private final AuditLog log;

  WorkspaceAudit(AuditLog log) {
    this.log = log;
  }

  void prepared(Workspace workspace, long diskQuotaBytes) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("baseSha", workspace.baseSha());
    detail.put("path", workspace.path());
    detail.put("repository", workspace.repository());
    detail.put("diskQuotaBytes", diskQuotaBytes);
    append(
        "prepare:" + workspace.loopId(),
        workspace.loopId(),
        0,
        "workspace.prepared",
        workspace.branch(),
        detail);
  }

  void checkpoint(
      String loopId, String key, Checkpoint checkpoint, List<String> files, List<String> scrubbed) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("kind", checkpoint.kind().name());
    detail.put("key", key);
    detail.put("iteration", checkpoint.iteration());
    detail.put("filesChanged", checkpoint.filesChanged());
    detail.put("files", first(files));
    if (!scrubbed.isEmpty()) {
      detail.put("strayEntriesRemoved", first(scrubbed));
    }
    append(
        "checkpoint:" + loopId + ":" + key + ":" + checkpoint.sha(),
        loopId,
        checkpoint.iteration(),
        checkpoint.created() ? "checkpoint.created" : "checkpoint.unchanged",
        checkpoint.sha(),
        detail);
  }

  void reset(String loopId, String sha, String reason, String previousSha, List<String> scrubbed) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", shorten(reason == null ? "" : reason));
    detail.put("previousSha", previousSha);
    detail.put("strayEntriesRemoved", first(scrubbed));
    String requestId =
        activityInfo()
            .map(
                info ->
                    "reset:" + loopId + ":" + info.getWorkflowRunId() + ":" + info.getActivityId())
            .orElse("reset:" + loopId + ":" + sha);
    append(requestId, loopId, 0, "workspace.reset", sha, detail);
  }

  private void append(
      String requestId,
      String loopId,
      int iteration,
      String action,
      String target,
      Map<String, Object> detail) {
    String runId = activityInfo().map(ActivityInfo::getWorkflowRunId).orElse(null);
    log.append(new AuditEntry(requestId, loopId, runId, iteration, ACTOR, action, target, detail));
  }

  private static List<String> first(List<String> paths) {
    return List.copyOf(paths.subList(0, Math.min(MAX_FILES, paths.size())));
  }

  private static String shorten(String text) {
    return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
  }

  /** The running activity, or nothing when the class is called directly (tests, tools). */
  private static Optional<ActivityInfo> activityInfo() {
    try {
      return Optional.of(Activity.getExecutionContext().getInfo());
    } catch (IllegalStateException notInAnActivity) {
      return Optional.empty();
    }
  }
}
