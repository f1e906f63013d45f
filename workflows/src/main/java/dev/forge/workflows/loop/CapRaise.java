package dev.forge.workflows.loop;

import java.math.BigDecimal;

/**
 * An approver's raise of a running loop's cost cap, sent as a workflow update. The API lets only
 * approvers send it; the workflow's validator refuses the loop's own starter and anything but a
 * raise.
 *
 * @param by the approver
 * @param costCapUsd the new cap, above the current one
 * @param reason why, kept in the audit log
 */
public record CapRaise(String by, BigDecimal costCapUsd, String reason) {}
