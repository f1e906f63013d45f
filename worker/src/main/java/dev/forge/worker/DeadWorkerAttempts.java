package dev.forge.worker;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * At start-up, fails the activity attempts that a worker which died on this host (killed, crashed,
 * out of memory) had started and can never finish, so that Temporal retries them at once instead of
 * after their start-to-close timeout (five minutes for a checkpoint). A retried attempt is safe:
 * every Forge activity is idempotent (a checkpoint finds its own commit, an audit entry its request
 * id, a sandbox step removes the container of the attempt before it).
 *
 * <p>An attempt whose cancellation was requested (the loop is being cancelled) is reported
 * cancelled instead, as its worker would have done; for a sandbox step, after the loop's sandbox
 * containers and networks are removed, so that the loop moves on only once its container is gone.
 * Temporal's test server would otherwise wait for that attempt forever: it times out no attempt
 * whose cancellation was requested.
 *
 * <p>An attempt counts as a dead worker's when Temporal names its worker {@code <pid>@<host>} (the
 * SDK's default identity), the host is this one and no process with that pid is alive. Attempts
 * of live workers, and of workers on other hosts, are never touched: those time out as before.
 * Runs once, in the background, when the application is ready; when Temporal cannot be asked, it
 * only logs why.
 */
final class DeadWorkerAttempts implements ApplicationListener<ApplicationReadyEvent> {

  /** The failure type a released attempt carries in the workflow's history. */
  static final String WORKER_DIED = "WorkerDied";
  /** The activity type of a sandbox step ({@code SandboxActivities.run}). */
  static final String SANDBOX_STEP = "SandboxRun";

  private static final Logger log = LoggerFactory.getLogger(DeadWorkerAttempts.class);
  private static final Pattern IDENTITY = Pattern.compile("(\\d+)@(.+)");

  private final WorkflowClient client;
  private final Consumer<String> removeSandboxesOfLoop;
  private final ProcessTable processes;

  /**
   * @param removeSandboxesOfLoop removes every sandbox container and network of a loop (by id,
   *     which is its workflow id)
   */
  DeadWorkerAttempts(WorkflowClient client, Consumer<String> removeSandboxesOfLoop) {
    this(client, removeSandboxesOfLoop, ProcessTable.LOCAL);
  }

  DeadWorkerAttempts(WorkflowClient client, Consumer<String> removeSandboxesOfLoop,
      ProcessTable processes) {
    this.client = client;
    this.removeSandboxesOfLoop = removeSandboxesOfLoop;
    this.processes = processes;
  }

  /** Which processes exist on this host (a test seam). */
  interface ProcessTable {
    ProcessTable LOCAL = pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);

    boolean isAlive(long pid);
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    Thread thread = new Thread(this::releaseLogged, "forge-dead-worker-attempts");
    thread.setDaemon(true);
    thread.start();
  }

  private void releaseLogged() {
    try {
      List<String> released = release();
      if (!released.isEmpty()) {
        log.warn("took over {} activity attempt(s) of dead workers on this host (failed, so that"
            + " they are retried now, or cancelled as requested): {}", released.size(), released);
      }
    } catch (RuntimeException e) {
      log.warn("could not look for activity attempts of dead workers; they are retried once their"
          + " start-to-close or heartbeat timeout passes", e);
    }
  }

  /**
   * Fails every started attempt of a dead worker on this host, and cancels those whose
   * cancellation was requested.
   *
   * @return {@code <workflow id>/<activity id> (<activity type>, <dead identity>)} of each
   */
  List<String> release() {
    String namespace = client.getOptions().getNamespace();
    String ownIdentity = client.getOptions().getIdentity();
    List<String> released = new ArrayList<>();
    for (WorkflowExecutionInfo workflow : openWorkflows(namespace)) {
      WorkflowExecution execution = workflow.getExecution();
      List<PendingActivityInfo> pending = client.getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(namespace).setExecution(execution).build())
          .getPendingActivitiesList();
      for (PendingActivityInfo activity : pending) {
        if (!isDeadHere(activity.getLastWorkerIdentity(), ownIdentity)) {
          continue;
        }
        String workflowId = execution.getWorkflowId();
        String type = activity.getActivityType().getName();
        if (activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
          client.newActivityCompletionClient().completeExceptionally(workflowId,
              Optional.of(execution.getRunId()), activity.getActivityId(),
              ApplicationFailure.newFailure("the worker " + activity.getLastWorkerIdentity()
                  + " that ran attempt " + activity.getAttempt() + " died before finishing it",
                  WORKER_DIED));
        } else if (activity.getState()
            == PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED) {
          if (SANDBOX_STEP.equals(type)) {
            removeSandboxesOfLoop.accept(workflowId);
          }
          client.newActivityCompletionClient().reportCancellation(workflowId,
              Optional.of(execution.getRunId()), activity.getActivityId(), null);
          type += ", cancelled";
        } else {
          continue;
        }
        released.add(workflowId + "/" + activity.getActivityId() + " (" + type + ", "
            + activity.getLastWorkerIdentity() + ")");
      }
    }
    return released;
  }

  private List<WorkflowExecutionInfo> openWorkflows(String namespace) {
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    ByteString page = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse response = client.getWorkflowServiceStubs().blockingStub()
          .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace).setMaximumPageSize(1000).setNextPageToken(page).build());
      all.addAll(response.getExecutionsList());
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    return all;
  }

  /**
   * Whether {@code identity} names a worker process of this host (as {@code ownIdentity} names
   * this one) that is no longer alive. Anything else, including identities of another shape, is
   * not judged dead.
   */
  boolean isDeadHere(String identity, String ownIdentity) {
    Matcher theirs = IDENTITY.matcher(identity == null ? "" : identity);
    Matcher ours = IDENTITY.matcher(ownIdentity == null ? "" : ownIdentity);
    if (!theirs.matches() || !ours.matches() || !theirs.group(2).equals(ours.group(2))) {
      return false;
    }
    long pid = Long.parseLong(theirs.group(1));
    return pid != Long.parseLong(ours.group(1)) && !processes.isAlive(pid);
  }
}
