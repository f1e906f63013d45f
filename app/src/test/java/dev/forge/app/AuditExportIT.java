package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A loop's audit log over real HTTP: paged by offset and by id, and exported as JSON Lines. */
class AuditExportIT extends ForgeIT {

  @Autowired AuditLog auditLog;

  @Test
  void shouldServeTheSameEntriesPagedAndAsJsonLines() throws Exception {
    // given a loop that ran, and more entries than a page holds
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    String loopId = dev.post("/api/loops", Map.of("repository", repo.toString(), "goal", "x",
        "config", scriptedLoop(repo, 1, List.of()))).json().get("loopId").asText();
    dev.awaitStatus(loopId, ForgeHttpStates::terminal, Duration.ofMinutes(2));
    for (int i = 0; i < 25; i++) {
      auditLog.append(new AuditEntry("export-it-" + loopId + "-" + i, loopId, null, 1, "forge",
          "export.test", "t" + i, Map.of("n", i, "text", "line \"" + i + "\"\nwith a newline")));
    }

    // when the pages are fetched by id, by offset, and the whole log as JSON Lines
    List<JsonNode> paged = new ArrayList<>();
    String next = "/api/loops/" + loopId + "/audit?limit=7";
    int pages = 0;
    while (next != null) {
      ForgeHttp.Answer answer = dev.get(next);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      JsonNode page = answer.json();
      assertThat(page.get("limit").asInt()).isEqualTo(7);
      page.get("items").forEach(paged::add);
      pages++;
      next = page.has("nextAfter")
          ? "/api/loops/" + loopId + "/audit?limit=7&after=" + page.get("nextAfter").asLong() : null;
    }
    JsonNode byOffset = dev.get("/api/loops/" + loopId + "/audit?limit=7&offset=7").json();
    ForgeHttp.Answer jsonl = as("lead").get("/api/loops/" + loopId + "/audit.jsonl");

    // then the pages hold every entry once, in id order, and the offset page matches them
    assertThat(paged.size()).isGreaterThan(25);
    assertThat(pages).isEqualTo((paged.size() + 6) / 7);
    List<Long> ids = paged.stream().map(e -> e.get("id").asLong()).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(paged).extracting(e -> e.get("action").asText())
        .contains("loop.start.requested", "loop.started", "loop.finished", "export.test");
    assertThat(paged).allSatisfy(e -> assertThat(e.get("loopId").asText()).isEqualTo(loopId));
    assertThat(byOffset.get("offset").asInt()).isEqualTo(7);
    assertThat(byOffset.get("items")).containsExactlyElementsOf(paged.subList(7, 14));
    // and the JSON Lines are the same objects, one per line
    assertThat(jsonl.status()).as(jsonl.body()).isEqualTo(200);
    assertThat(jsonl.contentType()).startsWith("application/x-ndjson");
    assertThat(jsonl.body()).endsWith("\n");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : jsonl.body().split("\n")) {
      lines.add(ForgeHttp.JSON.readTree(line));
    }
    assertThat(lines).containsExactlyElementsOf(paged);
    // and an export resumes after an id
    long resumeAfter = ids.get(9);
    String rest = dev.get("/api/loops/" + loopId + "/audit.jsonl?after=" + resumeAfter).body();
    assertThat(rest.split("\n")).hasSize(paged.size() - 10);
    assertThat(ForgeHttp.JSON.readTree(rest.split("\n")[0])).isEqualTo(paged.get(10));
  }
}
