package dev.forge.api.loops;

import dev.forge.spec.config.Quantities;
import dev.forge.api.policy.HostResources;
import dev.forge.api.policy.PolicyProperties;
import dev.forge.api.problems.ApiException;
import dev.forge.audit.LoopIndex;
import dev.forge.audit.LoopRecord;
import dev.forge.workflows.loop.LoopRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's quotas on loops that run at once: per user and in total (429), and the disk their
 * quota images may reserve on the disk that holds them (409). Callers serialize starts, so that two
 * requests cannot both take the last place.
 */
final class LoopQuotas {

  /** More open loops than this are not looked at: the quota is refused beyond it anyway. */
  private static final int MAX_COUNTED = 10_000;

  private final PolicyProperties.Quotas quotas;
  private final LoopIndex index;
  private final Loops loops;
  private final Optional<HostResources> host;

  LoopQuotas(PolicyProperties.Quotas quotas, LoopIndex index, Loops loops,
      Optional<HostResources> host) {
    this.quotas = quotas;
    this.index = index;
    this.loops = loops;
    this.host = host;
  }

  /** Refuses {@code request} if starting it would exceed a quota. */
  void check(LoopRequest request) {
    List<LoopRecord> running = running();
    int total = quotas.loopsTotal();
    if (running.size() >= total) {
      throw ApiException.tooManyRequests("Forge already runs " + running.size() + " loops, the"
          + " operator's limit (forge.policy.quotas.loops-total is " + total + "); start it once"
          + " one has ended");
    }
    String user = request.startedBy();
    long mine = running.stream().filter(r -> user.equals(r.startedBy())).count();
    int allowed = quotas.loopsOf(user);
    if (mine >= allowed) {
      throw ApiException.tooManyRequests(user + " already runs " + mine + " loops, the operator's"
          + " limit per user (" + allowed + "); cancel one or wait for one to end");
    }
    disk(request.config().sandbox().limits().diskBytes());
  }

  private void disk(long asked) {
    HostResources.Disk disk = host.map(HostResources::worktreeDisk).orElse(null);
    if (disk == null || asked == 0) {
      return;
    }
    long margin = quotas.diskMargin().toBytes();
    BigDecimal room = BigDecimal.valueOf(Math.max(0, disk.usableBytes() - margin))
        .multiply(quotas.diskOvercommit());
    BigDecimal wanted = BigDecimal.valueOf(disk.unwrittenBytes()).add(BigDecimal.valueOf(asked));
    if (wanted.compareTo(room) > 0) {
      throw ApiException.conflict("the disk that holds loops' work trees has "
          + Quantities.formatSize(disk.usableBytes()) + " free, and the quota images of running"
          + " loops may still take " + Quantities.formatSize(disk.unwrittenBytes()) + " of it; a"
          + " further disk quota of " + Quantities.formatSize(asked) + " would leave less than the"
          + " operator's margin of " + Quantities.formatSize(margin) + ": ask for a smaller"
          + " sandbox.limits.disk, or start it once loops have ended");
    }
  }

  /** The loops whose workflow still runs. */
  private List<LoopRecord> running() {
    return index.list(new LoopIndex.Filter(null, null, Set.of(), true), 0, MAX_COUNTED).loops()
        .stream()
        .filter(r -> !closedOrGone(r.loopId()))
        .toList();
  }

  private boolean closedOrGone(String loopId) {
    try {
      return loops.closed(loopId);
    } catch (ApiException e) {
      if (e.status() == 404) {
        // Its workflow is not known to Temporal (any more): it does not run.
        return true;
      }
      throw e;
    }
  }
}
