package dev.forge.api.loops;

import dev.forge.api.ApiProperties;
import dev.forge.api.config.ForgeConfigParser;
import dev.forge.api.security.ApiUser;
import dev.forge.api.tokens.KnownNames;
import dev.forge.audit.AuditEntry;
import dev.forge.audit.AuditLog;
import dev.forge.workflows.loop.LoopRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The one path by which a loop starts, for {@code POST /api/loops} and for signed webhooks alike:
 * the body is read and validated by {@link StartLoopReader} (repository policy, config, mounts,
 * secret-looking goals), the workflow started, and {@code loop.start.requested} audited.
 */
@Component
public class LoopStarter {

  private final Loops loops;
  private final StartLoopReader reader;
  private final AuditLog audit;
  private final GateApproverNames approverNames;

  LoopStarter(Loops loops, ApiProperties properties, ForgeConfigParser parser, AuditLog audit,
      KnownNames names) {
    this.loops = loops;
    this.reader = new StartLoopReader(new RepositoryPolicy(properties.allowedRoots()), parser);
    this.audit = audit;
    this.approverNames = new GateApproverNames(names);
  }

  /** Starts a loop from a {@code POST /api/loops} body; returns its id. */
  LoopRequest start(Map<String, Object> body, ApiUser caller, Map<String, Object> detail) {
    String loopId = LoopIds.next();
    LoopRequest request = reader.read(body, loopId, caller);
    approverNames.check(request.config().gates(), body.get("config") != null ? "config." : "forge.yml:");
    loops.start(request);
    // Lists the loop from now on (the workflow records loop.started only once its work tree exists).
    Map<String, Object> facts = new LinkedHashMap<>(detail);
    facts.put("repository", request.repository());
    audit.append(new AuditEntry("start:" + loopId, loopId, null, 0, caller.name(),
        "loop.start.requested", loopId, facts));
    return request;
  }

  /**
   * Starts a loop on {@code repository} with its own forge.yml and {@code goal}, as {@code caller};
   * returns the loop id. Everything {@code POST /api/loops} checks is checked.
   */
  public String startWithRepositoryConfig(String repository, String goal, ApiUser caller,
      Map<String, Object> detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("repository", repository);
    body.put("goal", goal);
    return start(body, caller, detail).loopId();
  }
}
