package dev.forge.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.workflows.loop.LoopState;

/** Reads loop states out of status JSON. */
final class ForgeHttpStates {

  private ForgeHttpStates() {}

  static boolean terminal(JsonNode status) {
    return LoopState.valueOf(status.get("state").asText()).isTerminal();
  }
}
