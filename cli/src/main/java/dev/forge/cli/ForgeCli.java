package dev.forge.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code forge-cli <command>}: {@code loops start|list|status|events|cancel} (engineers; any role
 * reads), {@code gates list|approve|reject} (approvers), {@code tokens create|revoke|list}
 * (admins), {@code history}, {@code histories}, {@code whoami}, {@code validate} (offline, no
 * server), and {@code demo}, which runs the example loop end to end. The older one-word spellings ({@code status}, {@code cancel}, {@code
 * approve}, {@code reject}) still work. The server and token come from the environment (see
 * {@link Settings}), never from arguments. Exit status: 0 done, 1 refused or failed (a problem
 * answer is printed as {@code HTTP 4xx: detail}), 2 a command line it cannot read.
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
        throw new UsageException("missing command");
      }
      Settings settings = new Settings(env);
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      BufferedReader stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return switch (args[0]) {
        case "demo" -> demo(args, env, settings, out);
        case "validate" -> new ValidateCommand(out, err).run(rest);
        case "ready" -> Ready.await(settings.server(), args.length > 1 ? seconds(args[1]) : 60, err);
        case "loops" -> loops(settings, out, err).run(rest);
        case "gates" -> new GatesCommand(client(settings), stdin, out).run(rest);
        case "status" -> loops(settings, out, err).status(LoopsCommand.one(rest, "loop id"));
        case "cancel" -> loops(settings, out, err).cancel(LoopsCommand.one(rest, "loop id"));
        case "approve", "reject" -> new GatesCommand(client(settings), stdin, out).run(Arrays.asList(args));
        case "history" -> history(client(settings), LoopsCommand.one(rest, "loop id"), out);
        case "histories" -> new HistoriesCommand(client(settings), out).run(
            Path.of(arg(args, 1, "folder")), List.of(args).subList(2, args.length));
        case "whoami" -> print(out, client(settings).getOk("api/me").toPrettyString());
        case "tokens" -> new TokensCommand(client(settings), stdin, out, err).run(rest);
        default -> throw new UsageException("unknown command '" + args[0] + "'");
      };
    } catch (UsageException e) {
      err.println("forge: " + e.getMessage() + "\n" + usage());
      return 2;
    } catch (CliException e) {
      err.println("forge: " + e.getMessage());
      return 1;
    }
  }

  private static int history(ApiClient client, String loopId, PrintStream out) {
    ApiClient.Response history = client.get("api/loops/" + loopId + "/history");
    if (!history.ok()) {
      throw new CliException(history.problem());
    }
    return print(out, history.raw());
  }

  private static int seconds(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException("'" + text + "' is not a number of seconds");
    }
  }

  private static LoopsCommand loops(Settings settings, PrintStream out, PrintStream err) {
    ApiClient client = client(settings);
    return new LoopsCommand(client, LoopsCommand.follower(settings, out, err), out, err);
  }

  private static int demo(String[] args, Map<String, String> env, Settings settings, PrintStream out) {
    Path home = Path.of(env.getOrDefault("FORGE_HOME", ".")).toAbsolutePath().normalize();
    Path dataDir = home.resolve(".forge");
    Path secrets = dataDir.resolve("secrets");
    ApiClient dev = new ApiClient(settings.server(), Settings.readToken(secrets.resolve("dev.token")));
    ApiClient lead = new ApiClient(settings.server(), Settings.readToken(secrets.resolve("lead.token")));
    String agent = demoAgent(args);
    Path repository = DemoRepository.prepare(home.resolve("examples/textstats"),
        agent == null ? home.resolve("forge.yml") : home.resolve("examples/agents/" + agent + ".yml"),
        dataDir.resolve(agent == null ? "repos/textstats" : "repos/textstats-" + agent));
    ApiClient admin = new ApiClient(settings.server(), Settings.readToken(secrets.resolve("admin.token")));
    if (agent != null) {
      out.println("demo with the real " + agent + " CLI; its model is SCRIPTED (forge/scripted-model,"
          + " a fixed script of turns, not an AI), reached only through Forge's model gateway");
    }
    return new DemoCommand(out, dev, lead, admin, dataDir).run(repository);
  }

  /** The agents {@code demo --agent} knows: each has examples/agents/NAME.yml. */
  static final List<String> DEMO_AGENTS = List.of("claude-code", "codex");

  /** {@code demo [--agent claude-code|codex]}: the agent, or {@code null} for the demo agent. */
  static String demoAgent(String[] args) {
    if (args.length == 1) {
      return null;
    }
    if (args.length == 3 && args[1].equals("--agent") && DEMO_AGENTS.contains(args[2])) {
      return args[2];
    }
    throw new UsageException("usage: forge demo [--agent " + String.join("|", DEMO_AGENTS) + "]");
  }

  private static ApiClient client(Settings settings) {
    return new ApiClient(settings.server(), settings.token());
  }

  private static int print(PrintStream out, String text) {
    out.println(text);
    return 0;
  }

  private static String arg(String[] args, int index, String name) {
    if (args.length <= index) {
      throw new UsageException("missing " + name);
    }
    return args[index];
  }

  static String usage() {
    return """
        usage: forge cli loops start <repository> [--goal TEXT | --goal-file FILE] [--config forge.yml]
                                                             (engineer; prints the loop id)
               forge cli loops list [state=S]... [repository=R] [startedBy=U]
               forge cli loops status <loop-id>
               forge cli loops events <loop-id>              (follows until the loop ends)
               forge cli loops cancel <loop-id>              (engineer: own loops; approver)
               forge cli gates list                          (approver: the pending gates)
               forge cli gates approve <loop-id> <gate> <checkpoint-sha> [comment] [--totp]
                         (--totp: read the step-up code from standard input)
               forge cli gates reject  <loop-id> <gate> [checkpoint-sha] [comment]
               forge cli tokens create <name> --role <role> [--role <role>]... [--group <group>]...
                                       [--expires-in 30d] [--yes]      (admin; prints the token once)
               forge cli tokens revoke <token-id> [--yes]             (admin)
               forge cli tokens list [--all]                          (admin)
               forge cli history <loop-id>
               forge cli histories <folder> [state=S]... [repository=R] [startedBy=U]
               forge cli whoami
               forge cli demo | ready [seconds]
               forge validate [forge.yml]          (offline: every refusal as path: rule: detail;
                                                   exit 0 valid, 1 invalid, 2 unreadable)
        also: status, cancel, approve, reject (as loops status|cancel, gates approve|reject)
        roles: viewer, engineer, approver, admin; creating and revoking tokens ask for confirmation
        environment: FORGE_SERVER (default http://127.0.0.1:8080/), FORGE_TOKEN or FORGE_TOKEN_FILE
        exit status: 0 done, 1 refused or failed, 2 bad usage""";
  }
}
