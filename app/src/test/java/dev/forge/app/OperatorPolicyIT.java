package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.TaskQueues;
import dev.forge.workflows.loop.LoopRequest;
import dev.forge.workflows.loop.LoopWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator's policy bounds every loop, whatever its config asks for (issue: a repository's
 * forge.yml could map Forge's own secrets into the sandbox). A context of its own with a strict
 * policy: one host variable granted to dev's loops below one directory, a production gate that
 * needs two approvals with step-up, one CPU, a quota of one loop for quota-eve, no disk overcommit,
 * and a webhook source whose secret is in the worker's environment (failsafe sets
 * CI_WEBHOOK_SECRET).
 */
@Timeout(300)
class OperatorPolicyIT extends ForgeIT {

  static final Path GRANTED = DATA.resolve("repos").resolve("policy-granted");
  private static final String WEBHOOK_SECRET = System.getenv("CI_WEBHOOK_SECRET");
  private static final Duration LOOP_LIMIT = Duration.ofMinutes(2);

  @Autowired JdbcClient jdbc;
  @Autowired WorkflowClient temporal;
  @Autowired AuditLog audit;

  @DynamicPropertySource
  static void policy(DynamicPropertyRegistry registry) {
    registry.add("forge.webhooks.sources.ci.secret-env", () -> "CI_WEBHOOK_SECRET");
    registry.add("forge.webhooks.sources.ci.repository", () -> GRANTED.resolve("hooked").toString());
    registry.add("forge.policy.env-grants[0].env[0]", () -> "SHOP_TOKEN");
    registry.add("forge.policy.env-grants[0].repositories[0]", () -> GRANTED + "/**");
    registry.add("forge.policy.env-grants[0].users[0]", () -> "dev");
    registry.add("forge.policy.destinations[0]", () -> "pypi.internal:443");
    registry.add("forge.policy.limits.cpu", () -> "1");
    registry.add("forge.policy.gates.production_deploy.min-approvals", () -> "2");
    registry.add("forge.policy.gates.production_deploy.step-up", () -> "true");
    registry.add("forge.policy.gates.production_deploy.approvers[0]", () -> "team-lead");
    registry.add("forge.policy.quotas.users.quota-eve", () -> "1");
    registry.add("forge.policy.quotas.disk-overcommit", () -> "1");
  }

  @Test
  void shouldRefuseAWebhookSecretAskedForInlineOrByTheRepositorysOwnForgeYml() throws Exception {
    // given the chain the outside attack used: an engineer's loop mapping a webhook source's
    // secret into the sandbox, inline and in the repository's own (untrusted) forge.yml
    assertThat(WEBHOOK_SECRET).as("failsafe sets CI_WEBHOOK_SECRET").hasSizeGreaterThan(32);
    Path repo = newRepository();
    Map<String, Object> config = compliant(List.of("bash", "-c", "echo $LEAK"));
    config.put("credentials", Map.of("env", Map.of("LEAK", "CI_WEBHOOK_SECRET")));
    Path fromFile = newRepository();
    Files.writeString(fromFile.resolve("forge.yml"), ForgeHttp.JSON.writeValueAsString(config));
    long refusedBefore = refusals();

    // when both are started
    ForgeHttp.Answer inline = as("dev").post("/api/loops",
        Map.of("repository", repo.toString(), "goal", "leak it", "config", config));
    ForgeHttp.Answer own = as("dev").post("/api/loops",
        Map.of("repository", fromFile.toString(), "goal", "leak it"));

    // then both are refused, naming the variable, never its value, and audited; nothing started
    assertThat(fieldsAndRules(inline)).containsExactly(tuple("config.credentials.env.LEAK", "policy"));
    assertThat(fieldsAndRules(own)).containsExactly(tuple("forge.yml:credentials.env.LEAK", "policy"));
    assertThat(inline.body()).contains("CI_WEBHOOK_SECRET").contains("Forge's own settings or secrets")
        .doesNotContain(WEBHOOK_SECRET);
    assertThat(refusals()).isEqualTo(refusedBefore + 2);
    assertThat(jdbc.sql("SELECT detail::text FROM audit_log WHERE action = 'policy.refused'"
            + " AND detail->>'repository' = :repo").param("repo", fromFile.toString())
        .query(String.class).single())
        .contains("forge.yml:credentials.env.LEAK").contains("\"status\": 400")
        .doesNotContain(WEBHOOK_SECRET);
    assertThat(as("dev").get("/api/loops?repository=" + repo).json().get("total").asInt()).isZero();
  }

  @Test
  void shouldGrantAVariableOnlyToTheRepositoriesAndUsersTheOperatorNames() throws Exception {
    Path granted = ExampleRepos.create(GRANTED.resolve("r-" + UUID.randomUUID()));
    Path elsewhere = newRepository();
    Map<String, Object> config = compliant(List.of("sleep", "600"));
    config.put("credentials", Map.of("env", Map.of("TOKEN", "SHOP_TOKEN")));
    ForgeHttp frank = newUser("frank-" + UUID.randomUUID().toString().substring(0, 8), "engineer",
        List.of());

    ForgeHttp.Answer allowed = as("dev").post("/api/loops",
        Map.of("repository", granted.toString(), "goal", "work", "config", config));
    ForgeHttp.Answer otherRepository = as("dev").post("/api/loops",
        Map.of("repository", elsewhere.toString(), "goal", "work", "config", config));
    ForgeHttp.Answer otherUser = frank.post("/api/loops",
        Map.of("repository", granted.toString(), "goal", "work", "config", config));

    assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
    cancel(as("dev"), allowed.json().get("loopId").asText());
    assertThat(fieldsAndRules(otherRepository))
        .containsExactly(tuple("config.credentials.env.TOKEN", "policy"));
    assertThat(otherRepository.body()).contains("SHOP_TOKEN").contains("not granted");
    assertThat(fieldsAndRules(otherUser))
        .containsExactly(tuple("config.credentials.env.TOKEN", "policy"));
  }

  @Test
  void shouldRefuseALoopThatDropsOrWeakensTheRequiredGate() throws Exception {
    Path repo = newRepository();
    Map<String, Object> dropped = compliant(List.of("true"));
    dropped.put("gates", Map.of());
    Map<String, Object> weaker = compliant(List.of("true"));
    weaker.put("gates", Map.of("production_deploy", Map.of("approvers", List.of("team-lead"),
        "required_approvals", 1, "step_up", true)));

    ForgeHttp.Answer noGate = as("dev").post("/api/loops",
        Map.of("repository", repo.toString(), "goal", "ship", "config", dropped));
    ForgeHttp.Answer oneApproval = as("dev").post("/api/loops",
        Map.of("repository", repo.toString(), "goal", "ship", "config", weaker));

    assertThat(fieldsAndRules(noGate)).containsExactly(tuple("config.gates.production_deploy", "policy"));
    assertThat(noGate.body()).contains("requires a production_deploy gate");
    assertThat(fieldsAndRules(oneApproval))
        .containsExactly(tuple("config.gates.production_deploy", "policy"));
    assertThat(oneApproval.body()).contains("required_approvals 1 < 2");
  }

  @Test
  void shouldRefuseLimitsImagesAndDestinationsBeyondThePolicy() throws Exception {
    Path repo = newRepository();
    Map<String, Object> config = compliant(List.of("true"));
    Map<String, Object> sandbox = new LinkedHashMap<>((Map<String, Object>) config.get("sandbox"));
    Map<String, Object> limits = new LinkedHashMap<>((Map<String, Object>) sandbox.get("limits"));
    limits.put("cpu", 2);
    sandbox.put("limits", limits);
    sandbox.put("image", "debian:bookworm-slim");
    sandbox.put("network", Map.of("mode", "restricted", "allowed", List.of("upstream.forge.test:8080")));
    config.put("sandbox", sandbox);

    ForgeHttp.Answer answer = as("dev").post("/api/loops",
        Map.of("repository", repo.toString(), "goal", "work", "config", config));

    assertThat(fieldsAndRules(answer)).containsExactlyInAnyOrder(
        tuple("config.sandbox.limits.cpu", "policy"), tuple("config.sandbox.image", "policy"),
        tuple("config.sandbox.network.allowed[0]", "policy"));
    assertThat(answer.body()).contains("at most 1").contains("allowed: forge/*")
        .contains("allowed: pypi.internal:443");
  }

  @Test
  void shouldRefuseALoopBeyondTheUsersQuotaWith429UntilOneEnds() throws Exception {
    // given quota-eve may run one loop, and runs one
    ForgeHttp eve = newUser("quota-eve", "engineer", List.of());
    Map<String, Object> config = compliant(List.of("sleep", "600"));
    Map<String, Object> first = Map.of("repository", newRepository().toString(), "goal", "a",
        "config", config);
    ForgeHttp.Answer running = eve.post("/api/loops", first);
    assertThat(running.status()).as(running.body()).isEqualTo(201);
    String loopId = running.json().get("loopId").asText();

    // when she starts another
    ForgeHttp.Answer second = eve.post("/api/loops", Map.of("repository",
        newRepository().toString(), "goal", "b", "config", config));

    // then it is refused with a reason, audited
    assertThat(second.status()).as(second.body()).isEqualTo(429);
    assertThat(second.json().get("detail").asText()).contains("quota-eve already runs 1 loops");
    assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'policy.refused'"
        + " AND actor = 'quota-eve' AND detail->>'status' = '429'").query(Long.class).single())
        .isEqualTo(1);

    // and once the first has ended (its status turns CANCELLED while its workflow still squashes
    // the work done; the quota counts the workflow), a start is accepted again
    cancel(eve, loopId);
    ForgeHttp.Answer afterwards = eve.post("/api/loops", first);
    // (stopping the sandbox and squashing take seconds on a loaded 2-core CI machine: allow 60 s)
    for (int i = 0; i < 300 && afterwards.status() == 429; i++) {
      Thread.sleep(200);
      afterwards = eve.post("/api/loops", first);
    }
    assertThat(afterwards.status()).as(afterwards.body()).isEqualTo(201);
    cancel(eve, afterwards.json().get("loopId").asText());
  }

  @Test
  void shouldRefuseADiskQuotaTheWorktreesDiskCannotHoldWith409() throws Exception {
    Path repo = newRepository();
    long free = Files.getFileStore(DATA).getUsableSpace();
    Map<String, Object> config = compliant(List.of("true"));
    Map<String, Object> sandbox = new LinkedHashMap<>((Map<String, Object>) config.get("sandbox"));
    Map<String, Object> limits = new LinkedHashMap<>((Map<String, Object>) sandbox.get("limits"));
    // one GiB more than is free, rounded up to whole GiB
    limits.put("disk", ((free >> 30) + 2) + "g");
    sandbox.put("limits", limits);
    config.put("sandbox", sandbox);

    ForgeHttp.Answer answer = as("dev").post("/api/loops",
        Map.of("repository", repo.toString(), "goal", "fill it", "config", config));

    assertThat(answer.status()).as(answer.body()).isEqualTo(409);
    assertThat(answer.json().get("detail").asText()).contains("free").contains("smaller sandbox.limits.disk");
    assertThat(as("dev").get("/api/loops?repository=" + repo).json().get("total").asInt()).isZero();
  }

  @Test
  void shouldRefuseAnUngrantedVariableBeforeTheStepEvenForALoopThatGotPastTheApi() throws Exception {
    // given a loop recorded as dev's (as if started under a policy that has since changed), whose
    // config maps the webhook secret, handed straight to Temporal
    Path repo = newRepository();
    Map<String, Object> config = compliant(List.of("bash", "-c", "echo $LEAK"));
    config.put("credentials", Map.of("env", Map.of("LEAK", "CI_WEBHOOK_SECRET")));
    String loopId = "loop-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    audit.append(new AuditEntry("start:" + loopId, loopId, null, 0, "dev", "loop.start.requested",
        loopId, Map.of("repository", repo.toString())));
    LoopRequest request = new LoopRequest(loopId, repo.toString(), "leak it", "dev",
        new ForgeConfigParser().parse(config).config());
    LoopWorkflow loop = temporal.newWorkflowStub(LoopWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(loopId).setTaskQueue(TaskQueues.LOOPS).build());

    // when it runs
    WorkflowClient.start(loop::run, request);
    JsonNode done = as("dev").awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);

    // then its first step is refused before the variable is read, and the secret is nowhere
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FAILED");
    assertThat(done.get("reason").asText()).contains("CI_WEBHOOK_SECRET").contains("not granted");
    assertThat(as("dev").get("/api/loops/" + loopId + "/history").body()).doesNotContain(WEBHOOK_SECRET);
    assertThat(as("dev").get("/api/loops/" + loopId + "/audit?limit=1000").body())
        .doesNotContain(WEBHOOK_SECRET);
  }

  @Test
  void shouldShowTheEffectivePolicyToAdminsOnly() {
    ForgeHttp.Answer admin = as("admin").get("/api/admin/policy");
    ForgeHttp.Answer engineer = as("dev").get("/api/admin/policy");

    assertThat(admin.status()).as(admin.body()).isEqualTo(200);
    JsonNode policy = admin.json();
    assertThat(policy.at("/envGrants/0/env/0").asText()).isEqualTo("SHOP_TOKEN");
    assertThat(policy.at("/envGrants/0/repositories/0").asText()).isEqualTo(GRANTED + "/**");
    assertThat(policy.at("/limits/cpu").asText()).isEqualTo("1");
    assertThat(policy.at("/host/cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(policy.at("/images/0").asText()).isEqualTo("forge/*");
    assertThat(policy.at("/requiredGates/production_deploy/minApprovals").asInt()).isEqualTo(2);
    assertThat(policy.at("/requiredGates/production_deploy/stepUp").asBoolean()).isTrue();
    assertThat(policy.at("/quotas/users/quota-eve").asInt()).isEqualTo(1);
    assertThat(admin.body()).doesNotContain(WEBHOOK_SECRET);
    assertThat(engineer.status()).isEqualTo(403);
  }

  /** A config within this context's policy: the demo image, one CPU, the required gate. */
  private static Map<String, Object> compliant(List<String> agent) {
    Map<String, Object> config = new LinkedHashMap<>(withNoChecks(inlineConfig(agent, List.of())));
    config.put("gates", Map.of("production_deploy", Map.of("approvers", List.of("team-lead"),
        "required_approvals", 2, "step_up", true, "timeout", "1h")));
    return config;
  }

  private static List<org.assertj.core.groups.Tuple> fieldsAndRules(ForgeHttp.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    List<org.assertj.core.groups.Tuple> found = new ArrayList<>();
    answer.json().get("errors").forEach(e ->
        found.add(tuple(e.get("field").asText(), e.get("rule").asText())));
    return found;
  }

  private long refusals() {
    return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'policy.refused'")
        .query(Long.class).single();
  }

  private static void cancel(ForgeHttp user, String loopId) {
    ForgeHttp.Answer cancel = user.post("/api/loops/" + loopId + "/cancel", Map.of());
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    user.awaitStatus(loopId, ForgeHttpStates::terminal, LOOP_LIMIT);
  }
}
