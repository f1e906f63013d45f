package dev.forge.api.loops;

import dev.forge.spec.loop.LoopId;
import dev.forge.api.problems.ApiException;
import java.security.SecureRandom;

/** Loop ids as the API issues and accepts them ({@link LoopId}'s issued form). */
final class LoopIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LoopIds() {}

  static String next() {
    return LoopId.next(RANDOM);
  }

  /** Refuses, as not found, anything that cannot be a loop id, before it reaches Temporal. */
  static String require(String id) {
    if (!LoopId.isIssued(id)) {
      throw ApiException.notFound("there is no loop '" + printable(id)
          + "'; loop ids look like loop-abc123def4");
    }
    return id;
  }

  private static String printable(String id) {
    if (id == null) {
      return "";
    }
    String cut = id.length() > 40 ? id.substring(0, 40) + "…" : id;
    return cut.replaceAll("[^A-Za-z0-9._-]", "?");
  }
}
