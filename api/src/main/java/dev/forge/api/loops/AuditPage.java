package dev.forge.api.loops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forge.audit.StoredAuditEntry;
import java.util.List;

/**
 * A page of {@code GET /api/loops/{id}/audit}: the loop's entries in id order (oldest first).
 *
 * @param items the entries on this page
 * @param limit the most items a page holds
 * @param offset how many of the loop's entries come before this page (when paged by offset)
 * @param after the entry id this page starts after (when paged by {@code after})
 * @param nextAfter the {@code after} that fetches the next page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AuditPage(List<StoredAuditEntry> items, int limit, Integer offset, Long after,
    Long nextAfter) {}
