package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.api.identity.Role;
import dev.forge.api.tokens.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Users and groups are different names, through real HTTP: a token may not be named like a group
 * nor get a group named like a user; a {@code group:} approver entry admits no user of that name;
 * a bare approver name that is both a user and a group is refused when the loop starts.
 */
@Timeout(300)
class ApproverNamesIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(3);

  @Autowired ApiTokens tokens;

  @Test
  void shouldRefuseATokenNamedLikeAGroupOrWithAGroupNamedLikeAUser() {
    // given the configured user lead, in group team-lead
    ForgeHttp admin = as("admin");
    String fresh = "fresh-" + UUID.randomUUID().toString().substring(0, 8);

    // when an admin asks for a token named team-lead, and for one whose group is lead
    ForgeHttp.Answer namedLikeGroup = admin.post("/api/tokens",
        Map.of("name", "team-lead", "roles", List.of("approver")));
    ForgeHttp.Answer groupLikeUser = admin.post("/api/tokens",
        Map.of("name", fresh, "roles", List.of("approver"), "groups", List.of("web", "lead")));

    // then both are refused before any confirmation, naming the field, and nothing is created
    assertThat(namedLikeGroup.status()).as(namedLikeGroup.body()).isEqualTo(400);
    assertThat(fieldAndRule(namedLikeGroup)).isEqualTo("name/conflict");
    assertThat(namedLikeGroup.json().get("errors").get(0).get("message").asText())
        .contains("already the name of a group");
    assertThat(groupLikeUser.status()).as(groupLikeUser.body()).isEqualTo(400);
    assertThat(fieldAndRule(groupLikeUser)).isEqualTo("groups[1]/conflict");
    assertThat(namedLikeGroup.json().has("confirmation")).as("nothing to confirm").isFalse();
    assertThat(admin.get("/api/tokens").json().get("items"))
        .noneMatch(t -> t.get("name").asText().equals("team-lead"))
        .noneMatch(t -> t.get("name").asText().equals(fresh));
  }

  @Test
  void shouldNotLetAUserApproveForAGroupEntryOfItsName() throws Exception {
    // given a gate whose approvers are the group 'lead' and the user 'vera'
    Path repo = newRepository();
    ForgeHttp vera = newUser("vera", "approver", List.of("web"));
    Map<String, Object> gate = new LinkedHashMap<>(Map.of("name", "infrastructure_change",
        "approvers", List.of("group:lead", "user:vera"), "timeout", "1h"));
    ForgeHttp.Answer started = as("dev").post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "count", "config", scriptedLoop(repo, 1, List.of(gate))));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    as("dev").awaitStatus(loopId, s -> "AWAITING_APPROVAL".equals(s.get("state").asText()), LIMIT);
    String path = "/api/loops/" + loopId + "/gates/infrastructure_change/approve";

    // when the user lead (whose name is the group's) looks at the gate and approves
    JsonNode leadsView = pendingGate(as("lead"), loopId);
    ForgeHttp.Answer byLead = as("lead").post(path, approval(loopId, "I am lead"));
    JsonNode verasView = pendingGate(vera, loopId);
    ForgeHttp.Answer byVera = vera.post(path, approval(loopId, "checked"));

    // then lead is no approver of it, and vera, named as a user, is
    assertThat(leadsView.get("youMayApprove").asBoolean()).isFalse();
    assertThat(byLead.status()).as(byLead.body()).isEqualTo(403);
    assertThat(byLead.json().get("detail").asText()).contains("is not an approver");
    assertThat(verasView.get("youMayApprove").asBoolean()).isTrue();
    assertThat(byVera.status()).as(byVera.body()).isEqualTo(200);
    assertThat(byVera.json().get("state").asText()).isEqualTo("APPROVED");
  }

  @Test
  void shouldRefuseABareApproverNameThatIsBothAUserAndAGroup() throws Exception {
    // given a name that is both a user and a group (a token from before names were kept apart)
    String both = "both-" + UUID.randomUUID().toString().substring(0, 8);
    tokens.create(both, Set.of(Role.APPROVER), List.of(both), Duration.ofHours(1), "test");
    Path repo = newRepository();
    Map<String, Object> gate = new LinkedHashMap<>(Map.of("name", "production_deploy",
        "approvers", List.of("lead", both), "timeout", "1h"));
    long loopsBefore = as("dev").get("/api/loops").json().get("total").asLong();

    // when a loop names it bare in its gate's approvers and in escalate_to
    gate.put("on_timeout", "escalate");
    gate.put("escalate_to", List.of(both));
    ForgeHttp.Answer refused = as("dev").post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "count", "config", scriptedLoop(repo, 1, List.of(gate))));

    // then the start is refused naming both fields, and nothing started
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.json().get("errors")).extracting(e -> e.get("field").asText()
        + "/" + e.get("rule").asText()).containsExactly(
            "config.gates.production_deploy.approvers[1]/conflict",
            "config.gates.production_deploy.escalate_to[0]/conflict");
    assertThat(refused.body()).contains("user:" + both).contains("group:" + both);
    assertThat(as("dev").get("/api/loops").json().get("total").asLong()).isEqualTo(loopsBefore);
  }
}
