package dev.forge.app.replay;

import dev.forge.app.temporal.StackFreeFailureConverter;
import dev.forge.workflows.TaskQueues;
import dev.forge.workflows.loop.LoopWorkflowImpl;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays recorded histories against the workflow code of this build and says, when one does not
 * replay, where and how the code now differs from what the history recorded. One in-memory worker
 * serves every history, so its start is paid once.
 */
final class HistoryReplay implements AutoCloseable {

  private static final Pattern EVENT_ID = Pattern.compile("(?:EventId=|event )(\\d+)");
  private static final String DIVERGED = "Failure handling event";
  private static final Pattern PROTO_NAME = Pattern.compile("'name: \"([^\"]*)\"\\s*'");
  private static final Pattern LOOP_ID = Pattern.compile("\"loopId\"\\s*:\\s*\"([^\"]+)\"");
  /** What a history read from JSON, which does not hold its ids, answers for them. */
  private static final String PLACEHOLDER_ID = "workflow_id_in_replay";
  private static final String PLACEHOLDER_RUN = "run_id_in_replay";

  private final TestWorkflowEnvironment environment;
  private final Worker worker;

  HistoryReplay() {
    // The converter of the worker that recorded the histories (it reads failures back unchanged).
    environment = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(StackFreeFailureConverter.dataConverter()).build())
        .build());
    worker = environment.newWorker(TaskQueues.LOOPS);
    worker.registerWorkflowImplementationTypes(LoopWorkflowImpl.class);
  }

  @Override
  public void close() {
    environment.close();
  }

  /**
   * The result of replaying one history.
   *
   * @param source where the history came from (a file, or {@code server:<workflow id>})
   * @param workflowId the workflow (loop) id
   * @param runId the run
   * @param events how many events the history holds
   * @param eventId the event at which replay diverged, or {@code null}
   * @param problem what differed, or {@code null} when it replayed
   * @param millis how long the replay took
   */
  record Outcome(String source, String workflowId, String runId, int events, Long eventId,
      String problem, long millis) {

    boolean replayed() {
      return problem == null;
    }
  }

  Outcome replay(String source, WorkflowExecutionHistory history) {
    String workflowId = workflowId(history);
    String runId = runId(history);
    int events = history.getEvents().size();
    long started = System.nanoTime();
    try {
      WorkflowReplayer.replayWorkflowExecution(history, worker);
      return new Outcome(source, workflowId, runId, events, null, null, since(started));
    } catch (Exception e) {
      String problem = describe(e);
      Matcher id = EVENT_ID.matcher(problem);
      return new Outcome(source, workflowId, runId, events,
          id.find() ? Long.valueOf(id.group(1)) : null, problem, since(started));
    }
  }

  private static long since(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** The most telling message in the failure's chain: the non-determinism, if it is one. */
  private static String describe(Throwable failure) {
    String first = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && first == null) {
        first = message;
      }
      if (message != null && message.contains(DIVERGED)) {
        return "non-deterministic: " + readable(message.substring(message.indexOf(DIVERGED)));
      }
      if (t instanceof NonDeterministicException) {
        return "non-deterministic: " + readable(message);
      }
    }
    return first == null ? failure.getClass().getSimpleName() : readable(first);
  }

  /** The message's first sentence or two, without stack frames and protobuf line breaks. */
  private static String readable(String message) {
    String text = message == null ? "" : message;
    int frames = text.indexOf("\n\tat ");
    if (frames >= 0) {
      text = text.substring(0, frames);
    }
    int internals = text.indexOf(" {WorkflowTaskStartedEventId");
    if (internals >= 0) {
      text = text.substring(0, internals);
    }
    return PROTO_NAME.matcher(text).replaceAll("'$1'").replaceAll("\\s+", " ").strip();
  }

  /** The loop id: from the server when it was fetched, else from the workflow's input. */
  private static String workflowId(WorkflowExecutionHistory history) {
    String id = history.getWorkflowExecution().getWorkflowId();
    if (!id.isEmpty() && !id.equals(PLACEHOLDER_ID)) {
      return id;
    }
    HistoryEvent started = history.getEvents().get(0);
    if (!started.hasWorkflowExecutionStartedEventAttributes()) {
      return "?";
    }
    WorkflowExecutionStartedEventAttributes attributes =
        started.getWorkflowExecutionStartedEventAttributes();
    if (attributes.getInput().getPayloadsCount() == 0) {
      return "?";
    }
    Matcher loopId = LOOP_ID.matcher(
        attributes.getInput().getPayloads(0).getData().toStringUtf8());
    return loopId.find() ? loopId.group(1) : "?";
  }

  private static String runId(WorkflowExecutionHistory history) {
    String id = history.getWorkflowExecution().getRunId();
    if (!id.isEmpty() && !id.equals(PLACEHOLDER_RUN)) {
      return id;
    }
    HistoryEvent started = history.getEvents().get(0);
    return started.hasWorkflowExecutionStartedEventAttributes()
        ? started.getWorkflowExecutionStartedEventAttributes().getOriginalExecutionRunId() : "?";
  }
}
