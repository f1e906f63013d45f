package dev.forge.api.loops;

import java.util.List;

/**
 * A page of {@code GET /api/loops}: newest first.
 *
 * @param items the loops on this page
 * @param offset how many matching loops come before this page
 * @param limit the most items a page holds
 * @param total how many loops match in all
 */
record LoopPage(List<LoopSummary> items, int offset, int limit, long total) {}
