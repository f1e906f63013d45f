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
 * {@code tokens create|revoke|list}, as an admin (the admin's token from the environment, like
 * every command). Creating and revoking take two requests: Forge answers the first with what it
 * is about to do and a confirmation id; the command shows that and asks, then sends the request
 * again with the id. {@code --yes} answers for the user. The created token is printed to standard
 * output alone — once, as Forge shows it once; everything else goes to standard error, so {@code >
 * file} captures just the token.
 */
final class TokensCommand {

  private final ApiClient client;
  private final BufferedReader in;
  private final PrintStream out;
  private final PrintStream err;

  TokensCommand(ApiClient client, BufferedReader in, PrintStream out, PrintStream err) {
    this.client = client;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    if (args.isEmpty()) {
      throw new UsageException("missing tokens command: create, revoke or list");
    }
    return switch (args.get(0)) {
      case "create" -> create(args.subList(1, args.size()));
      case "revoke" -> revoke(args.subList(1, args.size()));
      case "list" -> list(args.subList(1, args.size()));
      default -> throw new UsageException("unknown tokens command '" + args.get(0) + "'");
    };
  }

  private int create(List<String> args) {
    Map<String, Object> body = new LinkedHashMap<>();
    List<String> roles = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    boolean yes = false;
    String name = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--role" -> roles.add(value(args, ++i, "--role"));
        case "--group" -> groups.add(value(args, ++i, "--group"));
        case "--expires-in" -> body.put("expiresIn", value(args, ++i, "--expires-in"));
        case "--yes" -> yes = true;
        default -> {
          if (arg.startsWith("--") || name != null) {
            throw new UsageException("unexpected argument '" + arg + "'");
          }
          name = arg;
        }
      }
    }
    if (name == null) {
      throw new UsageException("missing the name of the user the token is for");
    }
    body.put("name", name);
    body.put("roles", roles);
    if (!groups.isEmpty()) {
      body.put("groups", groups);
    }
    JsonNode created = confirmed("api/tokens", body, yes);
    if (created == null) {
      return 1;
    }
    err.println("created token " + created.path("id").asText() + " for " + created.path("name").asText()
        + ", roles " + created.path("roles") + ", expires " + created.path("expiresAt").asText()
        + "; it is shown once, below, and Forge keeps only its SHA-256:");
    out.println(created.path("token").asText());
    return 0;
  }

  private int revoke(List<String> args) {
    boolean yes = args.contains("--yes");
    List<String> ids = args.stream().filter(a -> !a.equals("--yes")).toList();
    if (ids.size() != 1) {
      throw new UsageException("name exactly one token id to revoke");
    }
    JsonNode revoked = confirmed("api/tokens/" + ids.get(0) + "/revoke", null, yes);
    if (revoked == null) {
      return 1;
    }
    err.println("revoked token " + revoked.path("id").asText() + " of " + revoked.path("name").asText());
    return 0;
  }

  private int list(List<String> args) {
    boolean all = args.contains("--all");
    JsonNode page = client.getOk("api/tokens" + (all ? "?all=true" : ""));
    for (JsonNode token : page.path("items")) {
      out.printf("%s  %-20s %-28s %-8s expires %s%n", token.path("id").asText(),
          token.path("name").asText(), String.join(",", texts(token.path("roles"))),
          token.path("state").asText(), token.path("expiresAt").asText());
    }
    return 0;
  }

  /** The first request, the user's yes, the second request: the answer, or null when declined. */
  private JsonNode confirmed(String path, Object body, boolean yes) {
    ApiClient.Response first = client.post(path, body, Map.of());
    if (first.status() != 428) {
      throw new CliException(first.ok() ? "Forge did not ask to confirm this admin action; nothing"
          + " was confirmed" : first.problem());
    }
    String action = first.body().path("action").asText();
    String confirmation = first.body().path("confirmation").asText();
    if (!yes) {
      err.print("Forge will be " + action + ". Confirm? [y/N] ");
      err.flush();
      if (!answeredYes()) {
        err.println("not confirmed; nothing was changed");
        return null;
      }
    }
    ApiClient.Response second = client.post(path, body, Map.of("Forge-Confirmation", confirmation));
    if (!second.ok()) {
      throw new CliException(second.problem());
    }
    return second.body();
  }

  private boolean answeredYes() {
    try {
      String line = in.readLine();
      return line != null && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }
}
