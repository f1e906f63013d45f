package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.api.stepup.Base32;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Step-up approvals through real HTTP: a production_deploy gate needing two approvals takes a
 * TOTP code with each; enrolment is an admin action confirmed by a second request, the secret is
 * shown once and stored only encrypted; missing, wrong and replayed codes are refused, too many
 * wrong codes lock the user out (429 with Retry-After).
 */
class GateStepUpIT extends ForgeIT {

  private static final Duration LIMIT = Duration.ofMinutes(3);

  @Autowired JdbcClient jdbc;

  @Test
  void shouldAcceptEachApprovalOnlyWithAFreshCorrectTotpCode() throws Exception {
    // given a loop waiting at a production gate that needs two approvals
    Path repo = newRepository();
    ForgeHttp dev = as("dev");
    ForgeHttp lead = as("lead");
    ForgeHttp rita = newUser("rita", "approver", List.of("team-lead"));
    ForgeHttp tess = newUser("tess", "approver", List.of("team-lead"));
    Map<String, Object> gate = new LinkedHashMap<>(Map.of("name", "production_deploy",
        "approvers", List.of("team-lead"), "required_approvals", 2, "timeout", "1h"));
    ForgeHttp.Answer started = dev.post("/api/loops", Map.of("repository", repo.toString(),
        "goal", "count", "config", scriptedLoop(repo, 1, List.of(gate))));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String loopId = started.json().get("loopId").asText();
    JsonNode waiting = dev.awaitStatus(loopId,
        s -> "AWAITING_APPROVAL".equals(s.get("state").asText()), LIMIT);
    assertThat(waiting.get("pendingGate").get("stepUp").asBoolean()).isTrue();
    String sha = waiting.get("pendingGate").get("checkpointSha").asText();
    String older = waiting.get("checkpoints").get(0).get("sha").asText();
    String path = "/api/loops/" + loopId + "/gates/production_deploy/approve";

    // when the admin enrols lead: a second request confirms, and the secret is shown that once
    ForgeHttp.Answer unconfirmed = as("admin").post("/api/totp/enrolments", Map.of("user", "lead"));
    assertThat(unconfirmed.status()).as(unconfirmed.body()).isEqualTo(428);
    assertThat(unconfirmed.body()).doesNotContain("secret\"");
    String secret = enrolTotp("lead");
    byte[] raw = Base32.decode(secret);
    assertThat(raw).hasSize(20);
    byte[] stored = jdbc.sql("SELECT secret_ciphertext FROM totp_enrolment WHERE user_name = 'lead'")
        .query(byte[].class).single();
    assertThat(stored).hasSize(1 + 12 + 20 + 16);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    assertThat(as("lead").post("/api/totp/enrolments", Map.of("user", "lead")).status())
        .as("only admins enrol").isEqualTo(403);

    // then an approval without a code, with a wrong one, or by someone not enrolled is refused
    ForgeHttp.Answer noCode = lead.post(path, Map.of("checkpointSha", sha));
    assertThat(noCode.status()).as(noCode.body()).isEqualTo(400);
    assertThat(noCode.json().get("errors").get(0).get("field").asText()).isEqualTo("totp");
    ForgeHttp.Answer wrong = lead.post(path, Map.of("checkpointSha", sha,
        "totp", totpCode(secret, 5)));
    assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
    assertThat(wrong.json().get("detail").asText()).contains("TOTP code is wrong");
    ForgeHttp.Answer notEnrolled = rita.post(path, Map.of("checkpointSha", sha,
        "totp", totpCode(secret, 0)));
    assertThat(notEnrolled.status()).as(notEnrolled.body()).isEqualTo(403);
    assertThat(notEnrolled.json().get("detail").asText()).contains("has no TOTP enrolment");

    // when lead's correct code goes with a stale checkpoint, then with the right one, then again
    String code = totpCode(secret, 0);
    ForgeHttp.Answer stale = lead.post(path, Map.of("checkpointSha", older, "totp", code));
    ForgeHttp.Answer first = lead.post(path, Map.of("checkpointSha", sha, "totp", code));
    ForgeHttp.Answer replayed = lead.post(path, Map.of("checkpointSha", sha, "totp", code));

    // then the stale approval is refused without spending the code, which passes the valid
    // approval (one of two) and is spent by it: replayed, it is refused
    assertThat(stale.status()).as(stale.body()).isEqualTo(409);
    assertThat(stale.json().get("detail").asText()).contains("is stale");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().get("state").asText()).isEqualTo("PENDING");
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(403);
    assertThat(replayed.json().get("detail").asText()).contains("was used already");
    long spent = lastUsedStep("lead");

    // when lead votes a second time with the next code, refused by the workflow as a double vote
    ForgeHttp.Answer twice = lead.post(path, Map.of("checkpointSha", sha,
        "totp", totpCode(secret, 1)));

    // then that code is not spent either
    assertThat(twice.status()).as(twice.body()).isEqualTo(409);
    assertThat(twice.json().get("detail").asText()).contains("has already approved");
    assertThat(lastUsedStep("lead")).isEqualTo(spent);

    // when tess guesses codes, she is locked out after five wrong ones, even for a right one then
    String tessSecret = enrolTotp("tess");
    int locked = 0;
    for (int i = 0; i < 5; i++) {
      ForgeHttp.Answer guess = tess.post(path, Map.of("checkpointSha", sha,
          "totp", totpCode(tessSecret, 7 + i)));
      assertThat(guess.status()).as(guess.body()).isIn(403, 429);
      locked += guess.status() == 429 ? 1 : 0;
    }
    ForgeHttp.Answer lockedOut = tess.post(path, Map.of("checkpointSha", sha,
        "totp", totpCode(tessSecret, 0)));
    assertThat(locked).as("the fifth wrong code locks").isEqualTo(1);
    assertThat(lockedOut.status()).as(lockedOut.body()).isEqualTo(429);
    assertThat(lockedOut.retryAfter()).isNotNull();
    assertThat(Long.parseLong(lockedOut.retryAfter())).isPositive();

    // then a second enrolled approver passes the gate, and the loop completes
    String ritaSecret = enrolTotp("rita");
    ForgeHttp.Answer second = rita.post(path, Map.of("checkpointSha", sha,
        "totp", totpCode(ritaSecret, 0), "comment", "second pair of eyes"));
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.json().get("state").asText()).isEqualTo("APPROVED");
    JsonNode done = dev.awaitStatus(loopId, ForgeHttpStates::terminal, LIMIT);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("gates").get(0).get("approvals")).extracting(a -> a.get("by").asText())
        .containsExactly("lead", "rita");

    // and enrolments are audited without their secrets; refusals are audited per loop
    List<String> enrolled = jdbc.sql("SELECT target FROM audit_log WHERE action = 'totp.enrolled'"
        + " AND detail::text NOT LIKE :secret").param("secret", "%" + secret + "%")
        .query(String.class).list();
    assertThat(enrolled).contains("lead", "tess", "rita");
    long refused = jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'gate.decision.refused'"
        + " AND loop_id = :loop").param("loop", loopId).query(Long.class).single();
    assertThat(refused).as("no code, wrong, not enrolled, stale, replayed, twice; 5 guesses,"
        + " locked out").isEqualTo(6 + 6);
  }

  private long lastUsedStep(String user) {
    return jdbc.sql("SELECT last_used_step FROM totp_enrolment WHERE user_name = :u")
        .param("u", user).query(Long.class).single();
  }
}
