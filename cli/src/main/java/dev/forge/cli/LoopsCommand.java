package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code loops start|list|status|events|cancel}, as an engineer (start, cancel their own loops)
 * or any role (list, status, events).
 */
final class LoopsCommand {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ApiClient client;
  private final EventFollower follower;
  private final PrintStream out;
  private final PrintStream err;

  LoopsCommand(ApiClient client, EventFollower follower, PrintStream out, PrintStream err) {
    this.client = client;
    this.follower = follower;
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("missing loops command: start, list, status, events or cancel");
    }
    List<String> rest = args.subList(1, args.size());
    return switch (args.get(0)) {
      case "start" -> start(rest);
      case "list" -> list(rest);
      case "status" -> status(one(rest, "loop id"));
      case "events" -> follower.follow(one(rest, "loop id"));
      case "cancel" -> cancel(one(rest, "loop id"));
      default -> throw new UsageException("unknown loops command '" + args.get(0) + "'");
    };
  }

  int status(String loopId) {
    out.println(client.getOk("api/loops/" + loopId).toPrettyString());
    return 0;
  }

  int cancel(String loopId) {
    ApiClient.Response answer = client.post("api/loops/" + loopId + "/cancel", null);
    if (!answer.ok()) {
      throw new CliException(answer.problem());
    }
    out.println(answer.body() == null ? "" : answer.body().toPrettyString());
    return 0;
  }

  private int start(List<String> args) {
    String repository = null;
    String goal = null;
    Path goalFile = null;
    Path config = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--goal" -> goal = value(args, ++i, arg);
        case "--goal-file" -> goalFile = Path.of(value(args, ++i, arg));
        case "--config" -> config = Path.of(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("--") || repository != null) {
            throw new UsageException("unexpected argument '" + arg + "'");
          }
          repository = arg;
        }
      }
    }
    if (repository == null) {
      throw new UsageException("missing the repository to start a loop on");
    }
    if (goal != null && goalFile != null) {
      throw new UsageException("give --goal or --goal-file, not both");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    // The server checks the path against its allowed roots; it needs it absolute.
    body.put("repository", Path.of(repository).toAbsolutePath().normalize().toString());
    if (goalFile != null) {
      goal = read(goalFile, "--goal-file");
    }
    if (goal != null) {
      body.put("goal", goal);
    }
    if (config != null) {
      body.put("config", yaml(config));
    }
    ApiClient.Response answer = client.post("api/loops", body);
    if (!answer.ok()) {
      throw new CliException(answer.problem());
    }
    String loopId = answer.body().path("loopId").asText();
    err.println("started loop " + loopId + "; follow it with: forge cli loops events " + loopId);
    out.println(loopId);
    return 0;
  }

  private int list(List<String> filters) {
    JsonNode page = client.getOk("api/loops?limit=500" + HistoriesCommand.query(filters));
    out.printf("%-16s %-18s %5s %10s  %-10s %-20s %s%n", "LOOP", "STATE", "ITER", "COST", "STARTED BY",
        "STARTED AT", "REPOSITORY");
    for (JsonNode loop : page.path("items")) {
      out.printf("%-16s %-18s %5s %10s  %-10s %-20s %s%n", loop.path("loopId").asText(),
          loop.hasNonNull("state") ? loop.path("state").asText() : "(unknown)",
          loop.path("iteration").asText(), "$" + loop.path("costUsd").asText(),
          loop.path("startedBy").asText(), loop.path("startedAt").asText(),
          loop.path("repository").asText());
    }
    int shown = page.path("items").size();
    long total = page.path("total").asLong(shown);
    if (total > shown) {
      out.println("(" + shown + " of " + total + " loops; narrow with state=, repository= or startedBy=)");
    }
    return 0;
  }

  private static Object yaml(Path file) {
    try {
      return YAML.readValue(Files.readString(file, StandardCharsets.UTF_8), Object.class);
    } catch (IOException e) {
      throw new CliException("--config " + file + ": cannot read it as YAML: " + e.getMessage());
    }
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(option + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  static String one(List<String> args, String name) {
    if (args.isEmpty()) {
      throw new UsageException("missing " + name);
    }
    if (args.size() > 1) {
      throw new UsageException("unexpected argument '" + args.get(1) + "'");
    }
    return args.get(0);
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  static EventFollower follower(Settings settings, PrintStream out, PrintStream err) {
    return new EventFollower(settings.server(), settings.token(), out, err, Duration.ofSeconds(1), 5);
  }
}
