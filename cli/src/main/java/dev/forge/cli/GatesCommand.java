package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gates list|approve|reject}, as an approver. An approval names the checkpoint the approver
 * reviewed (it is bound to that commit, never looked up); {@code --totp} reads the step-up code
 * from standard input, never from the arguments, where other users of the machine could read it.
 */
final class GatesCommand {

  private final ApiClient client;
  private final BufferedReader in;
  private final PrintStream out;

  GatesCommand(ApiClient client, BufferedReader in, PrintStream out) {
    this.client = client;
    this.in = in;
    this.out = out;
  }

  int run(List<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("missing gates command: list, approve or reject");
    }
    List<String> rest = args.subList(1, args.size());
    return switch (args.get(0)) {
      case "list" -> list(rest);
      case "approve" -> decide(true, rest);
      case "reject" -> decide(false, rest);
      default -> throw new UsageException("unknown gates command '" + args.get(0) + "'");
    };
  }

  private int list(List<String> args) {
    if (!args.isEmpty()) {
      throw new UsageException("unexpected argument '" + args.get(0) + "'");
    }
    JsonNode gates = client.getOk("api/gates?state=pending").path("items");
    if (gates.isEmpty()) {
      out.println("no gate is waiting for a decision");
      return 0;
    }
    out.printf("%-16s %-22s %-12s %-9s %-10s %-16s %-12s %s%n", "LOOP", "GATE", "CHECKPOINT",
        "APPROVALS", "STARTED BY", "DIFF", "COST", "YOU MAY APPROVE");
    for (JsonNode gate : gates) {
      JsonNode diff = gate.path("diffStat");
      String diffText = diff.isObject() ? diff.path("filesChanged").asText() + "f +"
          + diff.path("insertions").asText() + " -" + diff.path("deletions").asText() : "?";
      out.printf("%-16s %-22s %-12s %-9s %-10s %-16s %-12s %s%n", gate.path("loopId").asText(),
          gate.path("gate").asText(), Format.shortSha(gate.path("checkpointSha").asText()),
          gate.path("approvals").size() + "/" + gate.path("requiredApprovals").asText(),
          gate.path("startedBy").asText(), diffText, "$" + gate.path("costUsd").asText(),
          (gate.path("youMayApprove").asBoolean() ? "yes" : "no")
              + (gate.path("stepUp").asBoolean() ? ", needs --totp" : "")
              + (gate.path("escalated").asBoolean() ? ", escalated" : ""));
    }
    out.println("approve with: forge cli gates approve <loop> <gate> <checkpoint sha> [comment]"
        + " [--totp] (the full sha: forge cli loops status <loop>)");
    return 0;
  }

  private int decide(boolean approve, List<String> args) {
    List<String> words = new ArrayList<>(args);
    boolean totp = words.remove("--totp");
    if (words.size() < 2) {
      throw new UsageException("missing " + (words.isEmpty() ? "loop id" : "gate"));
    }
    String path = "api/loops/" + words.get(0) + "/gates/" + words.get(1) + "/" + (approve ? "approve" : "reject");
    Map<String, Object> body = new LinkedHashMap<>();
    if (approve) {
      // An approval is bound to the commit the approver reviewed: it must be named, never looked up.
      if (words.size() < 3) {
        throw new UsageException("missing checkpoint sha (the pendingGate.checkpointSha you reviewed)");
      }
      body.put("checkpointSha", words.get(2));
      body.put("comment", words.size() > 3 ? words.get(3) : "");
      if (words.size() > 4) {
        throw new UsageException("unexpected argument '" + words.get(4) + "'");
      }
    } else {
      // reject <loop> <gate> [sha] [comment]: the sha is optional, checked by Forge when given.
      int next = 2;
      if (words.size() > next && words.get(next).matches("[0-9a-f]{40}")) {
        body.put("checkpointSha", words.get(next++));
      }
      body.put("comment", words.size() > next ? words.get(next) : "");
      if (words.size() > next + 1) {
        throw new UsageException("unexpected argument '" + words.get(next + 1) + "'");
      }
    }
    if (totp) {
      body.put("totp", code());
    }
    ApiClient.Response answer = client.post(path, body);
    if (!answer.ok()) {
      throw new CliException(answer.problem());
    }
    out.println(answer.body() == null ? "" : answer.body().toPrettyString());
    return 0;
  }

  private String code() {
    try {
      String code = in.readLine();
      if (code == null || code.isBlank()) {
        throw new CliException("--totp: no code on standard input");
      }
      return code.strip();
    } catch (IOException e) {
      throw new CliException("--totp: cannot read the code from standard input: " + e.getMessage());
    }
  }
}
