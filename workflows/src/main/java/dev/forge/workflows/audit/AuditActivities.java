package dev.forge.workflows.audit;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Writes to the audit log and the cost ledger. Both writes are idempotent. */
@ActivityInterface(namePrefix = "Audit")
public interface AuditActivities {

  /** Appends an entry; a second write with the same request id is a no-op. */
  @ActivityMethod
  void record(AuditRecord record);

  /** Records an iteration's usage; a second write for the same loop and iteration is a no-op. */
  @ActivityMethod
  void recordUsage(UsageRecord record);
}
