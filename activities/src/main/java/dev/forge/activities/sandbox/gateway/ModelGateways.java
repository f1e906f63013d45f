package dev.forge.activities.sandbox.gateway;

import dev.forge.activities.sandbox.egress.EgressProxies;
import dev.forge.activities.sandbox.egress.ModelRoute;
import dev.forge.activities.sandbox.usage.PriceTable;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.ModelCallLedger.StepTotals;
import dev.forge.audit.ModelCallLedger;
import dev.forge.spec.loop.AgentModel;
import dev.forge.workflows.sandbox.SandboxStep;
import dev.forge.workflows.sandbox.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model gateway as the sandbox activity uses it: one gateway per worker, started on first use
 * on the worker's address on the egress network (where the steps' proxies reach it, and nothing
 * else does), and one grant per attempt of an agent step whose loop names a model provider.
 *
 * <p>The budget a grant holds is what the workflow says is left of the loop's cap when the step
 * starts, less what earlier attempts of the same step already spent (the ledger keeps every call,
 * so a worker killed mid-iteration neither resets nor double-counts it). The step's cost of record
 * is then the sum of all its calls in the ledger ({@code metered}); what the agent says about
 * itself is kept beside it, and a difference of more than {@value #DISAGREEMENT_PERCENT} % is a
 * {@code cost.disagreement} audit entry.
 */
public final class ModelGateways implements AutoCloseable {

  /** The cost source of a step the gateway metered. */
  public static final String METERED = "metered";
  public static final String COST_DISAGREEMENT = "cost.disagreement";
  static final int DISAGREEMENT_PERCENT = 5;

  private static final Logger log = LoggerFactory.getLogger(ModelGateways.class);

  private final GatewaySettings settings;
  private final ModelCallLedger ledger;
  private final AuditLog audit;
  private final Function<String, String> hostEnv;
  private final Clock clock;
  private ModelGateway gateway;
  private String address;

  /**
   * @param settings the gateway's settings; a {@code null} bind address means the worker's address
   *     on the egress network
   */
  public ModelGateways(GatewaySettings settings, ModelCallLedger ledger, AuditLog audit,
      Function<String, String> hostEnv, Clock clock) {
    this.settings = settings;
    this.ledger = ledger;
    this.audit = audit;
    this.hostEnv = hostEnv;
    this.clock = clock;
  }

  /** Opens the grant of one attempt of an agent step; close the returned session after it. */
  public Session open(SandboxStep step, String attempt, EgressProxies egress) {
    AgentModel model = step.model();
    ModelGateway running = gateway(egress);
    StepTotals earlier = ledger.totals(step.loopId(), step.iteration(), step.step());
    BigDecimal left = step.budgetUsd().subtract(earlier.costUsd()).max(BigDecimal.ZERO);
    StepGrant grant = running.open(new StepBinding(step.loopId(), step.iteration(), step.step(),
        attempt, model.provider(), model.credential(), left, model.toolResults()));
    return new Session(step, grant, new ModelRoute(address, running.port(), grant.token()));
  }

  private synchronized ModelGateway gateway(EgressProxies egress) {
    if (gateway == null) {
      String bind = settings.bindAddress() != null ? settings.bindAddress()
          : egress.egressGatewayAddress();
      GatewaySettings bound = settings.withBindAddress(bind);
      gateway = ModelGateway.start(bound, new LedgerModelCallRecorder(ledger, audit), hostEnv,
          clock);
      address = bind;
      log.info("model gateway listening on {}:{}", bind, gateway.port());
    }
    return gateway;
  }

  @Override
  public synchronized void close() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }

  /** One attempt's grant, and the route its proxy forwards the model port on. */
  public final class Session implements AutoCloseable {

    private final SandboxStep step;
    private final StepGrant grant;
    private final ModelRoute route;

    Session(SandboxStep step, StepGrant grant, ModelRoute route) {
      this.step = step;
      this.grant = grant;
      this.route = route;
    }

    public ModelRoute route() {
      return route;
    }

    /**
     * The step's cost of record, from every call of every attempt in the ledger, with what the
     * agent reported about itself kept beside it ({@code selfReported}; a disagreement is
     * audited). A call refused because the budget could not hold it makes the step end as an
     * agent stopped at its budget: the loop ends COST_CAP_REACHED (or waits for a raise).
     */
    public Usage usage(Usage selfReported, String runId) {
      StepTotals totals = ledger.totals(step.loopId(), step.iteration(), step.step());
      String agentStop = totals.refusedForCap() > 0 ? Usage.STOPPED_AT_BUDGET
          : selfReported == null ? null : selfReported.agentStop();
      Usage metered = new Usage(totals.inputTokens(), totals.cachedInputTokens(),
          totals.cacheWriteTokens(), totals.outputTokens(), totals.costUsd(), METERED,
          totals.model(), PriceTable.PINNED_VERSION,
          selfReported == null ? null : selfReported.turns(), agentStop);
      disagreement(metered, selfReported, runId, totals);
      return metered;
    }

    private void disagreement(Usage metered, Usage self, String runId, StepTotals totals) {
      if (self == null || self.unreported() || self.costUsd() == null) {
        return;
      }
      BigDecimal difference = self.costUsd().subtract(metered.costUsd()).abs();
      BigDecimal allowed = metered.costUsd().multiply(BigDecimal.valueOf(DISAGREEMENT_PERCENT))
          .divide(BigDecimal.valueOf(100), 6, RoundingMode.HALF_UP);
      if (difference.compareTo(allowed) <= 0) {
        return;
      }
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("step", step.step());
      detail.put("meteredUsd", metered.costUsd().toPlainString());
      detail.put("selfReportedUsd", self.costUsd().toPlainString());
      detail.put("selfReportSource", self.costSource());
      detail.put("calls", totals.calls());
      audit.append(new AuditEntry(COST_DISAGREEMENT + ":" + step.loopId() + ":"
          + step.iteration() + ":" + step.step() + ":" + runId, step.loopId(), runId,
          step.iteration(), "forge", COST_DISAGREEMENT, "metered " + metered.costUsd()
              .toPlainString() + " USD, the agent said " + self.costUsd().toPlainString(),
          detail));
    }

    @Override
    public void close() {
      grant.close();
    }
  }
}
