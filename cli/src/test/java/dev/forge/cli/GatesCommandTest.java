package dev.forge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.cli.StandInForge.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code gates list|approve|reject} against a stand-in server. */
class GatesCommandTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private StandInForge forge;

  @AfterEach
  void stop() {
    forge.close();
  }

  @Test
  void shouldListPendingGatesAsATable() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{\"items\":[{"
        + "\"loopId\":\"loop-abcdefghij\",\"gate\":\"production_deploy\",\"checkpointSha\":\"" + SHA + "\","
        + "\"startedBy\":\"dev\",\"diffStat\":{\"filesChanged\":3,\"insertions\":40,\"deletions\":2},"
        + "\"costUsd\":0.42,\"requiredApprovals\":2,\"approvals\":[{\"user\":\"lead\"}],"
        + "\"youMayApprove\":true,\"stepUp\":true,\"escalated\":false}]}"));

    StandInForge.Result result = forge.run("", "gates", "list");

    assertThat(result.code()).isZero();
    assertThat(forge.seen.get(0).pathAndQuery()).isEqualTo("/api/gates?state=pending");
    assertThat(result.out().lines().toList().get(0)).startsWith("LOOP").contains("GATE", "CHECKPOINT", "APPROVALS");
    assertThat(result.out()).containsPattern(
        "loop-abcdefghij +production_deploy +0123456789 +1/2 +dev +3f \\+40 -2 +\\$0.42 +yes, needs --totp");
  }

  @Test
  void shouldSayWhenNoGateIsWaiting() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{\"items\":[]}"));

    StandInForge.Result result = forge.run("", "gates", "list");

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo("no gate is waiting for a decision\n");
  }

  @Test
  void shouldReportTheRoleAnEngineerLacks() {
    forge = new StandInForge((request, exchange) -> Answer.json(403, "{\"status\":403,\"detail\":"
        + "\"listing pending gates with their context needs the approver role, which your token does not have\"}"));

    StandInForge.Result result = forge.run("", "gates", "list");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("forge: HTTP 403: listing pending gates with their context needs"
        + " the approver role, which your token does not have\n");
  }

  @Test
  void shouldApproveUnderBothSpellingsWithTheCodeFromStandardInput() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{\"state\":\"RUNNING_GATE\"}"));

    StandInForge.Result grouped = forge.run("654321\n", "gates", "approve", "loop-abcdefghij",
        "production_deploy", SHA, "looks good", "--totp");
    StandInForge.Result old = forge.run("", "approve", "loop-abcdefghij", "production_deploy", SHA);

    assertThat(grouped.code()).isZero();
    assertThat(old.code()).isZero();
    assertThat(forge.seen).allSatisfy(seen -> assertThat(seen.pathAndQuery())
        .isEqualTo("/api/loops/loop-abcdefghij/gates/production_deploy/approve"));
    assertThat(forge.seen.get(0).body()).isEqualTo("{\"checkpointSha\":\"" + SHA
        + "\",\"comment\":\"looks good\",\"totp\":\"654321\"}");
    assertThat(forge.seen.get(1).body()).isEqualTo("{\"checkpointSha\":\"" + SHA + "\",\"comment\":\"\"}");
  }

  @Test
  void shouldRefuseAnApprovalWithoutACheckpointOrWithoutACode() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{}"));

    StandInForge.Result noSha = forge.run("", "gates", "approve", "loop-abcdefghij", "production_deploy");
    StandInForge.Result noCode = forge.run("", "gates", "approve", "loop-abcdefghij", "production_deploy",
        SHA, "--totp");

    assertThat(noSha.code()).isEqualTo(2);
    assertThat(noSha.err()).contains("missing checkpoint sha");
    assertThat(noCode.code()).isEqualTo(1);
    assertThat(noCode.err()).contains("--totp: no code on standard input");
    assertThat(forge.seen).isEmpty();
  }

  @Test
  void shouldRejectWithAnOptionalCheckpoint() {
    forge = new StandInForge((request, exchange) -> Answer.json(200, "{\"state\":\"REJECTED\"}"));

    forge.run("", "gates", "reject", "loop-abcdefghij", "production_deploy", SHA, "not yet");
    forge.run("", "reject", "loop-abcdefghij", "production_deploy", "too risky");

    assertThat(forge.seen).extracting(StandInForge.Seen::pathAndQuery).containsOnly(
        "/api/loops/loop-abcdefghij/gates/production_deploy/reject");
    assertThat(forge.seen.get(0).body()).isEqualTo("{\"checkpointSha\":\"" + SHA + "\",\"comment\":\"not yet\"}");
    assertThat(forge.seen.get(1).body()).isEqualTo("{\"comment\":\"too risky\"}");
  }

  @Test
  void shouldReportAStaleCheckpointAsAConflict() {
    forge = new StandInForge((request, exchange) -> Answer.json(409, "{\"status\":409,\"detail\":"
        + "\"the gate waits on another checkpoint; review it and approve that one\"}"));

    StandInForge.Result result = forge.run("", "gates", "approve", "loop-abcdefghij", "production_deploy", SHA);

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).startsWith("forge: HTTP 409: the gate waits on another checkpoint");
  }
}
