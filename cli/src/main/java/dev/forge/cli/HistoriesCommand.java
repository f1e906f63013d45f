package dev.forge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code forge-cli histories <folder> [state=S]... [repository=R] [startedBy=U]}: exports the
 * Temporal history of every loop the query matches ({@code GET /api/loops}, all pages) into
 * {@code <folder>/<loop-id>.json}, for a replay corpus or {@code forge replay}. The server refuses
 * a history that holds a value that looks like a secret; such a loop is reported and skipped, and
 * the command exits 1.
 */
final class HistoriesCommand {

  private static final int PAGE = 500;
  private static final List<String> FILTERS = List.of("state", "repository", "startedBy");

  private final ApiClient client;
  private final PrintStream out;

  HistoriesCommand(ApiClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  int run(Path folder, List<String> filters) {
    String query = query(filters);
    List<String> loopIds = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      JsonNode page = client.getOk("api/loops?limit=" + PAGE + "&offset=" + offset + query);
      page.get("items").forEach(item -> loopIds.add(item.get("loopId").asText()));
      if (page.get("items").size() < PAGE) {
        break;
      }
    }
    int written = 0;
    int refused = 0;
    try {
      Files.createDirectories(folder);
      for (String loopId : loopIds) {
        ApiClient.Response history = client.get("api/loops/" + loopId + "/history");
        if (!history.ok()) {
          out.println("skipped " + loopId + ": " + history.problem());
          refused++;
          continue;
        }
        Files.writeString(folder.resolve(loopId + ".json"), history.raw());
        written++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write histories to " + folder, e);
    }
    out.println("exported " + written + " of " + loopIds.size() + " histories to " + folder
        + (refused == 0 ? "" : "; " + refused + " skipped"));
    return refused == 0 ? 0 : 1;
  }

  /** The filters as query parameters; each is {@code name=value} with a known name. */
  static String query(List<String> filters) {
    StringBuilder query = new StringBuilder();
    for (String filter : filters) {
      int eq = filter.indexOf('=');
      String name = eq < 0 ? filter : filter.substring(0, eq);
      if (eq < 1 || !FILTERS.contains(name)) {
        throw new UsageException("'" + filter + "' is not a filter; use state=..., repository=..."
            + " or startedBy=...");
      }
      query.append('&').append(name).append('=')
          .append(URLEncoder.encode(filter.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query.toString();
  }
}
