package dev.forge.app.replay;

import ch.qos.logback.classic.Level;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import dev.forge.app.temporal.StackFreeFailureConverter;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forge replay}: replays recorded loop histories against the workflow code of this build,
 * for users' CI. Histories come from files, folders (every {@code *.json} in them) or a Temporal
 * server (by workflow id or visibility query). Prints one line per history and a summary; exits 1
 * when any history does not replay (naming workflow, run, event and what differed), 2 on bad
 * usage or an unreadable source.
 *
 * <pre>
 * forge replay [PATH...] [--server HOST:PORT] [--namespace NS] [--workflow-id ID]... [--query Q]
 * </pre>
 */
public final class ReplayCommand {

  static final String USAGE = "usage: forge replay [PATH...] [--server HOST:PORT]"
      + " [--namespace NAMESPACE] [--workflow-id ID]... [--query VISIBILITY-QUERY]";

  private final PrintStream out;
  private final PrintStream err;

  ReplayCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command; returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return new ReplayCommand(out, err).execute(args);
  }

  /**
   * For the command line: only warnings from the SDK's in-memory server and worker, so that the
   * report is what a CI log shows (without Spring, logback would log everything at DEBUG).
   */
  public static void quietLogging() {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.WARN);
    }
  }

  int execute(List<String> args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("forge replay: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    long started = System.nanoTime();
    List<HistoryReplay.Outcome> outcomes = new ArrayList<>();
    try (HistoryReplay replay = new HistoryReplay()) {
      for (Path path : options.paths()) {
        for (Path file : files(path)) {
          WorkflowExecutionHistory history =
              WorkflowExecutionHistory.fromJson(Files.readString(file));
          outcomes.add(report(replay.replay(file.toString(), history)));
        }
      }
      if (options.server() != null) {
        fromServer(options, replay, outcomes);
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("forge replay: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("forge replay: could not read the histories: " + e.getMessage());
      return 2;
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    long failed = outcomes.stream().filter(o -> !o.replayed()).count();
    int events = outcomes.stream().mapToInt(HistoryReplay.Outcome::events).sum();
    out.printf("replayed %d histor%s (%d events) in %d ms: %d failed%n", outcomes.size(),
        outcomes.size() == 1 ? "y" : "ies", events, millis, failed);
    if (outcomes.isEmpty()) {
      err.println("forge replay: no histories found");
      return 2;
    }
    return failed == 0 ? 0 : 1;
  }

  private HistoryReplay.Outcome report(HistoryReplay.Outcome outcome) {
    if (outcome.replayed()) {
      out.printf("ok    %s (workflow %s, run %s, %d events, %d ms)%n", outcome.source(),
          outcome.workflowId(), outcome.runId(), outcome.events(), outcome.millis());
    } else {
      out.printf("FAIL  %s (workflow %s, run %s, %d events, %d ms)%n      at event %s: %s%n",
          outcome.source(), outcome.workflowId(), outcome.runId(), outcome.events(),
          outcome.millis(),
          outcome.eventId() == null ? "?" : outcome.eventId(), outcome.problem());
    }
    return outcome;
  }

  private void fromServer(Options options, HistoryReplay replay,
      List<HistoryReplay.Outcome> outcomes) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(options.server()).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace(options.namespace())
              .setDataConverter(StackFreeFailureConverter.dataConverter()).build());
      for (String id : options.workflowIds()) {
        outcomes.add(report(replay.replay("server:" + id, client.fetchHistory(id))));
      }
      if (options.query() != null) {
        listExecutions(client, options.query()).forEach(execution -> outcomes.add(report(
            replay.replay("server:" + execution.getExecution().getWorkflowId(),
                client.fetchHistory(execution.getExecution().getWorkflowId(),
                    execution.getExecution().getRunId())))));
      }
    } finally {
      service.shutdownNow();
    }
  }

  private static Stream<WorkflowExecutionMetadata> listExecutions(WorkflowClient client,
      String query) {
    try {
      return client.listExecutions(query);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new IllegalArgumentException("the server does not answer visibility queries (the"
            + " embedded test server does not); name the loops with --workflow-id instead", e);
      }
      throw e;
    }
  }

  private static List<Path> files(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      try (Stream<Path> entries = Files.list(path)) {
        return entries.filter(p -> p.getFileName().toString().endsWith(".json"))
            .filter(Files::isRegularFile).sorted().toList();
      }
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(path + " is neither a history file nor a folder");
    }
    return List.of(path);
  }

  /** What the command line asked for. */
  record Options(List<Path> paths, String server, String namespace, List<String> workflowIds,
      String query) {

    static Options parse(List<String> args) {
      List<Path> paths = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      String server = null;
      String namespace = "default";
      String query = null;
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        switch (arg) {
          case "--server" -> server = value(args, ++i, arg);
          case "--namespace" -> namespace = value(args, ++i, arg);
          case "--workflow-id" -> ids.add(value(args, ++i, arg));
          case "--query" -> query = value(args, ++i, arg);
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            paths.add(Path.of(arg));
          }
        }
      }
      if (server == null && (!ids.isEmpty() || query != null)) {
        throw new IllegalArgumentException("--workflow-id and --query need --server HOST:PORT");
      }
      if (server != null && ids.isEmpty() && query == null) {
        throw new IllegalArgumentException("--server needs --workflow-id or --query");
      }
      if (paths.isEmpty() && server == null) {
        throw new IllegalArgumentException("name history files or folders, or a --server");
      }
      return new Options(paths, server, namespace, ids, query);
    }

    private static String value(List<String> args, int i, String option) {
      if (i >= args.size() || args.get(i).startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args.get(i);
    }
  }
}
