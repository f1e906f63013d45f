package dev.forge.api.loops;

import dev.forge.api.ApiProperties;
import dev.forge.spec.config.ForgeConfigParser;
import dev.forge.api.policy.HostResources;
import dev.forge.api.policy.LoopPolicy;
import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.identity.ApiUser;
import dev.forge.api.tokens.KnownNames;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.audit.LoopIndex;
import dev.forge.workflows.loop.LoopRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one path by which a loop starts, for {@code POST /api/loops} and for signed webhooks alike:
 * the body is read and validated by {@link StartLoopReader} (repository policy, config, mounts,
 * secret-looking goals, the operator's policy), the quotas checked, the workflow started, and
 * {@code loop.start.requested} audited. A start the operator's policy or quotas refuse is audited
 * as {@code policy.refused}, with the fields and reasons (never a variable's value).
 */
@Component
public class LoopStarter {

  private final Loops loops;
  private final StartLoopReader reader;
  private final LoopQuotas quotas;
  private final AuditLog audit;
  private final GateApproverNames approverNames;
  /** Starts one at a time, so that two requests never both take a quota's last place. */
  private final Object starting = new Object();

  LoopStarter(Loops loops, ApiProperties properties, ForgeConfigParser parser, LoopPolicy policy,
      LoopIndex index, ObjectProvider<HostResources> host, AuditLog audit, KnownNames names) {
    this.loops = loops;
    this.reader = new StartLoopReader(new RepositoryPolicy(properties.allowedRoots()), parser,
        policy);
    this.quotas = new LoopQuotas(policy.properties().quotas(), index, loops,
        Optional.ofNullable(host.getIfAvailable()));
    this.audit = audit;
    this.approverNames = new GateApproverNames(names);
  }

  /** Starts a loop from a {@code POST /api/loops} body; returns its id. */
  LoopRequest start(StartLoopBody body, ApiUser caller, Map<String, Object> detail) {
    String loopId = LoopIds.next();
    LoopRequest request;
    try {
      request = reader.read(body, loopId, caller);
    } catch (InvalidInputException e) {
      List<FieldError> refused = e.errors().stream()
          .filter(err -> LoopPolicy.RULE.equals(err.rule())).toList();
      if (!refused.isEmpty()) {
        refused(caller, detail, body.repository(), Map.of("status", 400, "fields",
            refused.stream().map(err -> Map.of("field", err.field(), "message", err.message()))
                .toList()));
      }
      throw e;
    }
    approverNames.check(request.config().gates(), body.config() != null ? "config." : "forge.yml:");
    synchronized (starting) {
      try {
        quotas.check(request);
      } catch (ApiException e) {
        refused(caller, detail, request.repository(),
            Map.of("status", e.status(), "reason", e.getMessage()));
        throw e;
      }
      loops.start(request);
      // Lists the loop from now on (the workflow records loop.started only once its work tree exists).
      Map<String, Object> facts = new LinkedHashMap<>(detail);
      facts.put("repository", request.repository());
      audit.append(new AuditEntry("start:" + loopId, loopId, null, 0, caller.name(),
          "loop.start.requested", loopId, facts));
    }
    return request;
  }

  private void refused(ApiUser caller, Map<String, Object> detail, Object repository,
      Map<String, Object> why) {
    Map<String, Object> facts = new LinkedHashMap<>(detail);
    if (repository instanceof String path) {
      facts.put("repository", path);
    }
    facts.putAll(why);
    audit.append(new AuditEntry("policy.refused:" + UUID.randomUUID(), null, null, 0,
        caller.name(), "policy.refused", "loop start", facts));
  }

  /**
   * Starts a loop on {@code repository} with its own forge.yml and {@code goal}, as {@code caller};
   * returns the loop id. Everything {@code POST /api/loops} checks is checked.
   */
  public String startWithRepositoryConfig(String repository, String goal, ApiUser caller,
      Map<String, Object> detail) {
    return start(StartLoopBody.withRepositoryConfig(repository, goal), caller, detail).loopId();
  }
}
