package dev.forge.api.loops;

import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.workflows.TaskQueues;
import dev.forge.workflows.loop.GateDecision;
import dev.forge.workflows.loop.CapRaise;
import dev.forge.workflows.loop.GateView;
import dev.forge.workflows.loop.LoopRequest;
import dev.forge.workflows.loop.LoopStatus;
import dev.forge.workflows.loop.LoopWorkflow;
import dev.forge.workflows.loop.Rollback;
import dev.forge.workflows.loop.UpdateRefused;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/** The API's only door to Temporal: start, query, decide, cancel, export. */
public class Loops {

  private final WorkflowClient client;

  public Loops(WorkflowClient client) {
    this.client = client;
  }

  void start(LoopRequest request) {
    LoopWorkflow loop = client.newWorkflowStub(LoopWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(request.loopId())
            .setTaskQueue(TaskQueues.LOOPS)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .build());
    temporal(() -> WorkflowClient.start(loop::run, request), request.loopId());
  }

  public LoopStatus status(String loopId) {
    return temporal(() -> stub(loopId).status(), loopId);
  }

  /**
   * The loop's status, or {@code null} while its workflow exists but cannot answer yet (it has
   * not run its first task). Unknown loops are refused as not found, as by {@link #status}.
   */
  public LoopStatus peek(String loopId) {
    try {
      return status(loopId);
    } catch (WorkflowQueryException e) {
      return null;
    }
  }

  /** Whether the loop's workflow execution has closed (completed, failed, cancelled, ...). */
  boolean closed(String loopId) {
    return temporal(() -> client.newUntypedWorkflowStub(loopId).describe().getStatus()
        != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, loopId);
  }

  /** Rolls a paused loop back to a checkpoint; the workflow's validator refuses what it may not. */
  LoopStatus rollback(String loopId, Rollback rollback) {
    try {
      return temporal(() -> stub(loopId).rollback(rollback), loopId);
    } catch (WorkflowUpdateException e) {
      throw refusal(e, loopId);
    }
  }

  /** Raises a running loop's cost cap; the workflow's validator refuses what it may not. */
  public LoopStatus raiseCostCap(String loopId, CapRaise raise) {
    try {
      return temporal(() -> stub(loopId).raiseCostCap(raise), loopId);
    } catch (WorkflowUpdateException e) {
      throw refusal(e, loopId);
    }
  }

  public GateView decide(String loopId, GateDecision decision) {
    try {
      return temporal(() -> stub(loopId).decideGate(decision), loopId);
    } catch (WorkflowUpdateException e) {
      throw refusal(e, loopId);
    }
  }

  void cancel(String loopId) {
    temporal(() -> {
      WorkflowStub.fromTyped(stub(loopId)).cancel();
      return null;
    }, loopId);
  }

  /** Asks the loop to pause before its next iteration. */
  void pause(String loopId, String by) {
    temporal(() -> {
      stub(loopId).pause(by);
      return null;
    }, loopId);
  }

  /** Lets a paused loop go on. */
  void resume(String loopId, String by) {
    temporal(() -> {
      stub(loopId).resume(by);
      return null;
    }, loopId);
  }

  String historyJson(String loopId) {
    return temporal(() -> client.fetchHistory(loopId).toJson(true), loopId);
  }

  private LoopWorkflow stub(String loopId) {
    return client.newWorkflowStub(LoopWorkflow.class, loopId);
  }

  /**
   * The HTTP answer to an update the workflow's validator refused: 403, 409, or 400 naming the
   * field and rule ({@link UpdateRefused#from} reads them); a loop that has ended is a conflict.
   */
  static RuntimeException refusal(WorkflowUpdateException e, String loopId) {
    if (e.getCause() instanceof ApplicationFailure failure) {
      UpdateRefused refused = UpdateRefused.from(failure).orElse(null);
      if (refused != null) {
        return switch (refused.kind()) {
          case FORBIDDEN -> ApiException.forbidden(refused.detail());
          case CONFLICT -> ApiException.conflict(refused.detail());
          case INVALID -> new InvalidInputException(refused.field(), refused.rule(), refused.detail());
        };
      }
    }
    if (isNotFound(e)) {
      return ApiException.conflict("loop " + loopId + " has ended; there is nothing left to decide");
    }
    return e;
  }

  private static <T> T temporal(Supplier<T> call, String loopId) {
    try {
      return call.get();
    } catch (WorkflowNotFoundException e) {
      throw ApiException.notFound("there is no loop " + loopId);
    } catch (WorkflowQueryException | WorkflowServiceException e) {
      if (isNotFound(e)) {
        throw ApiException.notFound("there is no loop " + loopId);
      }
      if (isUnavailable(e)) {
        throw ApiException.unavailable("the Temporal service is not reachable; try again shortly");
      }
      throw e;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw ApiException.notFound("there is no loop " + loopId);
      }
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw ApiException.unavailable("the Temporal service is not reachable; try again shortly");
      }
      throw e;
    }
  }

  private static boolean isNotFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WorkflowNotFoundException) {
        return true;
      }
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return true;
      }
    }
    return false;
  }
}
