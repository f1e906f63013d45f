package dev.forge.api.gates;

import dev.forge.api.loops.Loops;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.identity.ApiUser;
import dev.forge.audit.LoopIndex;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/gates?state=pending} (approver role): every pending gate, with its context. */
@RestController
class PendingGateController {

  private final PendingGates gates;

  PendingGateController(LoopIndex index, Loops loops, ObjectProvider<DiffStats> diffStats) {
    this.gates = new PendingGates(index, loops, diffStats.getIfAvailable(() -> (repo, base, sha) -> {
      throw new IllegalStateException("no diff stat source is configured");
    }));
  }

  @Parameter(in = ParameterIn.QUERY, name = "state", required = true, description = "required",
      schema = @Schema(type = "string", allowableValues = "pending"))
  @GetMapping(path = "/api/gates", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, List<PendingGate>> pending(@Parameter(hidden = true) @RequestParam Map<String, String> params,
      @AuthenticationPrincipal ApiUser caller) {
    params.keySet().stream().filter(k -> !k.equals("state")).sorted().findFirst().ifPresent(k -> {
      throw new InvalidInputException(k, "unknown", "is not a known parameter; allowed: state");
    });
    String state = params.get("state");
    if (state == null) {
      throw new InvalidInputException("state", "required", "must be pending (the only state"
          + " listed: decided gates are in each loop's status)");
    }
    if (!state.equals("pending")) {
      throw new InvalidInputException("state", "format", "must be pending");
    }
    return Map.of("items", gates.list(caller));
  }
}
