package dev.forge.api.policy;

import dev.forge.spec.config.Quantities;
import dev.forge.api.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/admin/policy}: the operator's policy in force, as admins read it: what loops may
 * be granted, the largest limits (with the Docker host's own where they are lower), images,
 * destinations, required gates and quotas. Holds no secret: grants name variables, never values.
 */
@RestController
class PolicyController {

  private final LoopPolicy policy;
  private final Optional<HostResources> host;

  PolicyController(LoopPolicy policy, ObjectProvider<HostResources> host) {
    this.policy = policy;
    this.host = Optional.ofNullable(host.getIfAvailable());
  }

  @GetMapping(path = "/api/admin/policy", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> policy(HttpServletRequest request) {
    request.getParameterMap().keySet().stream().sorted().findFirst().ifPresent(k -> {
      throw new InvalidInputException(k, "unknown", "is not a known parameter; this takes none");
    });
    PolicyProperties p = policy.properties();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("envGrants", p.envGrants().stream().map(g -> Map.of("env", g.env(),
        "repositories", g.repositories(), "users", g.users())).toList());
    answer.put("limits", limits(p.limits()));
    host.ifPresent(h -> {
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("cpus", h.cpus());
      facts.put("memory", Quantities.formatSize(h.memoryBytes()));
      HostResources.Disk disk = h.worktreeDisk();
      if (disk != null) {
        facts.put("worktreeDiskFree", Quantities.formatSize(disk.usableBytes()));
        facts.put("quotaImagesUnwritten", Quantities.formatSize(disk.unwrittenBytes()));
      }
      answer.put("host", facts);
    });
    answer.put("images", p.images());
    answer.put("destinations", p.destinations());
    Map<String, Object> gates = new LinkedHashMap<>();
    p.gates().forEach((name, g) -> {
      Map<String, Object> gate = new LinkedHashMap<>();
      gate.put("minApprovals", g.minApprovals());
      gate.put("stepUp", g.stepUp());
      gate.put("maxTimeout", g.maxTimeout() == null ? null
          : Quantities.formatDuration(g.maxTimeout().toSeconds()));
      gate.put("requireBackup", g.requireBackup());
      gate.put("rollbackPlan", g.rollbackPlan());
      gate.put("approvers", g.approvers());
      gates.put(name, gate);
    });
    answer.put("requiredGates", gates);
    PolicyProperties.Quotas q = p.quotas();
    answer.put("quotas", Map.of("loopsPerUser", q.loopsPerUser(), "loopsTotal", q.loopsTotal(),
        "users", q.users(), "diskMargin", size(q.diskMargin()),
        "diskOvercommit", q.diskOvercommit().toPlainString()));
    return answer;
  }

  private static Map<String, Object> limits(PolicyProperties.Limits l) {
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("memory", size(l.memory()));
    limits.put("cpu", l.cpu().stripTrailingZeros().toPlainString());
    limits.put("pids", l.pids());
    limits.put("timeout", Quantities.formatDuration(l.timeout().toSeconds()));
    limits.put("tmpfs", size(l.tmpfs()));
    limits.put("output", size(l.output()));
    limits.put("disk", size(l.disk()));
    limits.put("maxIterations", l.maxIterations());
    limits.put("maxRuntime", Quantities.formatDuration(l.maxRuntime().toSeconds()));
    limits.put("costCapUsd", l.costCapUsd().toPlainString());
    return limits;
  }

  private static String size(DataSize size) {
    return Quantities.formatSize(size.toBytes());
  }
}
