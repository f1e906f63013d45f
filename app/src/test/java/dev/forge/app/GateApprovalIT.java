package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gate that needs two approvals, through real HTTP on the whole platform: self-approval, an
 * outsider, a stale checkpoint, a missing backup reference and a double vote are refused (each a
 * 4xx problem and an audit entry, nothing in the loop's history), and two distinct approvers pass it.
 */
class GateApprovalIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(3);

  @Test
  void shouldPassTwoApprovalGateOnlyForDistinctEligibleApproversOfTheCurrentCheckpoint()
      throws Exception {
    // given a loop waiting at a gate that needs two approvals and a backup reference
    Path repo = newRepository();
    // started by sam, an engineer who is an approver too (and a member of team-lead)
    ForgeHttp sam = newUser("sam", List.of("engineer", "approver"), List.of("team-lead"));
    ForgeHttp lead = as("lead");
    ForgeHttp dana = newUser("dana", "approver", List.of("dba"));
    ForgeHttp nina = newUser("nina", "approver", List.of("web"));
    Map<String, Object> gate = new LinkedHashMap<>(Map.of("name", "database_migration",
        "approvers", List.of("team-lead", "dba"), "required_approvals", 2, "timeout", "1h",
        "require_backup", true));
    ForgeHttp.Answer started = sam.post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "count", "config", scriptedLoop(repo, 2, List.of(gate))));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    JsonNode waiting = sam.awaitStatus(loopId,
        s -> "AWAITING_APPROVAL".equals(s.get("state").asText()), LIMIT);
    String sha = waiting.get("pendingGate").get("checkpointSha").asText();
    String older = waiting.get("checkpoints").get(0).get("sha").asText();
    assertThat(older).isNotEqualTo(sha);
    String path = "/api/loops/" + loopId + "/gates/database_migration/approve";
    Map<String, Object> good = Map.of("checkpointSha", sha, "backupRef", "snap-42", "comment", "ok");

    // when the starter, an outsider, a stale approval and one without a backup reference come in
    ForgeHttp.Answer self = sam.post(path, good);
    ForgeHttp.Answer outsider = nina.post(path, good);
    ForgeHttp.Answer stale = lead.post(path, Map.of("checkpointSha", older, "backupRef", "snap-42"));
    ForgeHttp.Answer noSha = lead.post(path, Map.of("backupRef", "snap-42"));
    ForgeHttp.Answer noBackup = lead.post(path, Map.of("checkpointSha", sha));

    // then each is refused with a clear problem
    assertThat(self.status()).as(self.body()).isEqualTo(403);
    assertThat(self.json().get("detail").asText()).contains("started this loop");
    assertThat(outsider.status()).as(outsider.body()).isEqualTo(403);
    assertThat(outsider.json().get("detail").asText()).contains("not an approver");
    assertThat(stale.status()).as(stale.body()).isEqualTo(409);
    assertThat(stale.json().get("detail").asText()).contains("is stale").contains(sha);
    assertThat(noSha.status()).as(noSha.body()).isEqualTo(400);
    assertThat(fieldAndRule(noSha)).isEqualTo("checkpointSha/required");
    assertThat(noBackup.status()).as(noBackup.body()).isEqualTo(400);
    assertThat(fieldAndRule(noBackup)).isEqualTo("backupRef/required");
    for (ForgeHttp.Answer refused : List.of(self, outsider, stale, noSha, noBackup)) {
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.body()).doesNotContain("Exception").doesNotContain("dev.forge");
    }

    // when lead approves, then votes again
    ForgeHttp.Answer first = lead.post(path, good);
    ForgeHttp.Answer again = lead.post(path, good);

    // then the first counts (one of two) and the second is refused
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().get("state").asText()).isEqualTo("PENDING");
    assertThat(first.json().get("approvals")).hasSize(1);
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.json().get("detail").asText()).contains("has already approved");
    assertThat(sam.get("/api/loops/" + loopId).json().get("state").asText())
        .isEqualTo("AWAITING_APPROVAL");

    // and the pending-gates view gives another approver the context to decide
    JsonNode bundle = pendingGate(dana, loopId);
    String base = bundle.get("baseSha").asText();
    String shortstat = ExampleRepos.git(repo, "diff", "--shortstat", base, sha).strip();
    assertThat(bundle.get("gate").asText()).isEqualTo("database_migration");
    assertThat(bundle.get("startedBy").asText()).isEqualTo("sam");
    assertThat(bundle.get("checkpointSha").asText()).isEqualTo(sha);
    assertThat(shortstat).startsWith(bundle.get("diffStat").get("filesChanged").asInt() + " file")
        .contains(bundle.get("diffStat").get("insertions").asInt() + " insertion");
    assertThat(bundle.get("diffStat").get("filesChanged").asInt()).isPositive();
    assertThat(bundle.get("iterations").asInt()).isEqualTo(2);
    assertThat(bundle.get("lastIteration").get("promiseSeen").asBoolean()).isTrue();
    assertThat(bundle.get("costUsd").decimalValue()).isEqualByComparingTo("0.02");
    assertThat(bundle.get("requiredApprovals").asInt()).isEqualTo(2);
    assertThat(bundle.get("approvals")).extracting(a -> a.get("by").asText()).containsExactly("lead");
    assertThat(bundle.get("mayStillApprove")).extracting(JsonNode::asText).containsExactly("team-lead", "dba");
    assertThat(bundle.get("youMayApprove").asBoolean()).isTrue();
    assertThat(bundle.get("requireBackup").asBoolean()).isTrue();
    assertThat(pendingGate(lead, loopId).get("youMayApprove").asBoolean()).as("lead approved already")
        .isFalse();
    assertThat(as("dev").get("/api/gates?state=pending").status()).as("engineers do not list gates")
        .isEqualTo(403);
    assertThat(pendingGate(sam, loopId).get("youMayApprove").asBoolean()).as("sam started the loop")
        .isFalse();
    ForgeHttp.Answer badState = dana.get("/api/gates?state=decided");
    assertThat(badState.status()).isEqualTo(400);
    assertThat(fieldAndRule(badState)).isEqualTo("state/format");

    // when a second, distinct approver approves, the gate passes and the loop completes
    ForgeHttp.Answer second = dana.post(path, good);
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.json().get("state").asText()).isEqualTo("APPROVED");
    JsonNode done = sam.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("gates").get(0).get("approvals")).extracting(a -> a.get("by").asText())
        .containsExactly("lead", "dana");

    // and every refusal is an audit entry; the approvals are audited with their backup reference
    List<JsonNode> audit = new ArrayList<>();
    sam.get("/api/loops/" + loopId + "/audit?limit=1000").json().get("items").forEach(audit::add);
    assertThat(audit).filteredOn(e -> e.get("action").asText().equals("gate.decision.refused"))
        .hasSize(6);
    assertThat(audit).filteredOn(e -> e.get("action").asText().equals("gate.approval"))
        .extracting(e -> e.get("actor").asText()).containsExactly("lead", "dana");
    assertThat(audit).filteredOn(e -> e.get("action").asText().equals("gate.approval"))
        .allSatisfy(e -> assertThat(e.get("detail").get("backupRef").asText()).isEqualTo("snap-42"));
  }
}
