package dev.forge.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code forge-cli <command>}: {@code demo} runs the example loop end to end; {@code status},
 * {@code approve}, {@code reject}, {@code cancel} and {@code history} act on one loop; {@code
 * histories} exports the histories of every loop a query matches; {@code tokens
 * create|revoke|list} manage tokens (admin); {@code whoami} shows the token's identity. The server
 * and token come from the environment (see {@link Settings}).
 */
public final class ForgeCli {

  private ForgeCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out,
      PrintStream err) {
    try {
      if (args.length == 0) {
        err.println(usage());
        return 2;
      }
      Settings settings = new Settings(env);
      return switch (args[0]) {
        case "demo" -> demo(args, env, settings, out);
        case "ready" -> Ready.await(settings.server(), args.length > 1 ? Integer.parseInt(args[1]) : 60, err);
        case "status" -> print(out, client(settings).getOk("api/loops/" + arg(args, 1, "loop id")).toPrettyString());
        case "history" -> print(out, client(settings).get("api/loops/" + arg(args, 1, "loop id") + "/history").raw());
        case "histories" -> new HistoriesCommand(client(settings), out).run(
            Path.of(arg(args, 1, "folder")), List.of(args).subList(2, args.length));
        case "approve", "reject" -> decide(args, settings, in, out);
        case "cancel" -> answer(out, client(settings).post("api/loops/" + arg(args, 1, "loop id") + "/cancel", null));
        case "whoami" -> print(out, client(settings).getOk("api/me").toPrettyString());
        case "tokens" -> new TokensCommand(client(settings),
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out, err)
            .run(Arrays.asList(args).subList(1, args.length));
        default -> {
          err.println("unknown command '" + args[0] + "'\n" + usage());
          yield 2;
        }
      };
    } catch (CliException e) {
      err.println("forge: " + e.getMessage());
      return 1;
    }
  }

  private static int demo(String[] args, Map<String, String> env, Settings settings, PrintStream out) {
    Path home = Path.of(env.getOrDefault("FORGE_HOME", ".")).toAbsolutePath().normalize();
    Path dataDir = home.resolve(".forge");
    Path secrets = dataDir.resolve("secrets");
    ApiClient dev = new ApiClient(settings.server(), Settings.readToken(secrets.resolve("dev.token")));
    ApiClient lead = new ApiClient(settings.server(), Settings.readToken(secrets.resolve("lead.token")));
    Path repository = DemoRepository.prepare(home.resolve("examples/textstats"),
        home.resolve("forge.yml"), dataDir.resolve("repos/textstats"));
    ApiClient admin = new ApiClient(settings.server(), Settings.readToken(secrets.resolve("admin.token")));
    return new DemoCommand(out, dev, lead, admin, dataDir).run(repository);
  }

  private static int decide(String[] args, Settings settings, InputStream in, PrintStream out) {
    List<String> words = new java.util.ArrayList<>(List.of(args));
    // --totp: the step-up code is read from standard input, never taken from the command line.
    boolean totp = words.remove("--totp");
    String[] rest = words.toArray(String[]::new);
    String path = "api/loops/" + arg(rest, 1, "loop id") + "/gates/" + arg(rest, 2, "gate") + "/" + rest[0];
    if (rest[0].equals("reject")) {
      return answer(out, client(settings).post(path, Map.of("comment", rest.length > 3 ? rest[3] : "")));
    }
    // An approval is bound to the commit the approver reviewed: it must be named, never looked up.
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("checkpointSha", arg(rest, 3, "checkpoint sha (the pendingGate.checkpointSha you reviewed)"));
    body.put("comment", rest.length > 4 ? rest[4] : "");
    if (totp) {
      try {
        String code = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (code == null || code.isBlank()) {
          throw new CliException("--totp: no code on standard input");
        }
        body.put("totp", code.strip());
      } catch (java.io.IOException e) {
        throw new CliException("--totp: cannot read the code from standard input: " + e.getMessage());
      }
    }
    return answer(out, client(settings).post(path, body));
  }

  private static ApiClient client(Settings settings) {
    return new ApiClient(settings.server(), settings.token());
  }

  private static int answer(PrintStream out, ApiClient.Response response) {
    if (!response.ok()) {
      throw new CliException(response.problem());
    }
    return print(out, response.body() == null ? "" : response.body().toPrettyString());
  }

  private static int print(PrintStream out, String text) {
    out.println(text);
    return 0;
  }

  private static String arg(String[] args, int index, String name) {
    if (args.length <= index) {
      throw new CliException("missing " + name + "\n" + usage());
    }
    return args[index];
  }

  static String usage() {
    return """
        usage: forge-cli demo
               forge-cli ready   [seconds]
               forge-cli status  <loop-id>
               forge-cli history <loop-id>
               forge-cli histories <folder> [state=S]... [repository=R] [startedBy=U]
               forge-cli approve <loop-id> <gate> <checkpoint-sha> [comment] [--totp]
                         (--totp: read the step-up code from standard input)
               forge-cli reject  <loop-id> <gate> [comment]
               forge-cli cancel  <loop-id>
               forge-cli whoami
               forge-cli tokens create <name> --role <role> [--role <role>]... [--group <group>]...
                                       [--expires-in 30d] [--yes]      (admin; prints the token once)
               forge-cli tokens revoke <token-id> [--yes]             (admin)
               forge-cli tokens list [--all]                          (admin)
        roles: viewer, engineer, approver, admin; creating and revoking ask for confirmation
        environment: FORGE_SERVER (default http://127.0.0.1:8080/), FORGE_TOKEN or FORGE_TOKEN_FILE""";
  }
}
