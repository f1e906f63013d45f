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
 * <p>An attempt counts as a dead worker's when Temporal names its worker {@code <pid>@<host>} (the
 * SDK's default identity), the host is this one and no process with that pid is alive. Attempts
 * of live workers, and of workers on other hosts, are never touched: those time out as before.
 * Runs once, in the background, when the application is ready; when Temporal cannot be asked, it
 * only logs why.
 */
final class DeadWorkerAttempts implements ApplicationListener<ApplicationReadyEvent> {

  /** The failure type a released attempt carries in the workflow's history. */
  static final String WORKER_DIED = "WorkerDied";

  private static final Logger log = LoggerFactory.getLogger(DeadWorkerAttempts.class);
  private static final Pattern IDENTITY = Pattern.compile("(\\d+)@(.+)");

  private final WorkflowClient client;
  private final ProcessTable processes;

  DeadWorkerAttempts(WorkflowClient client) {
    this(client, ProcessTable.LOCAL);
  }

  DeadWorkerAttempts(WorkflowClient client, ProcessTable processes) {
    this.client = client;
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
        log.warn("failed {} activity attempt(s) of dead workers on this host, so that they are"
            + " retried now: {}", released.size(), released);
      }
    } catch (RuntimeException e) {
      log.warn("could not look for activity attempts of dead workers; they are retried once their"
          + " start-to-close or heartbeat timeout passes", e);
    }
  }

  /**
   * Fails every started attempt of a dead worker on this host.
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
        if (activity.getState() != PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            || !isDeadHere(activity.getLastWorkerIdentity(), ownIdentity)) {
          continue;
        }
        client.newActivityCompletionClient().completeExceptionally(execution.getWorkflowId(),
            Optional.of(execution.getRunId()), activity.getActivityId(),
            ApplicationFailure.newFailure("the worker " + activity.getLastWorkerIdentity()
                + " that ran attempt " + activity.getAttempt() + " died before finishing it",
                WORKER_DIED));
        released.add(execution.getWorkflowId() + "/" + activity.getActivityId() + " ("
            + activity.getActivityType().getName() + ", " + activity.getLastWorkerIdentity() + ")");
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
