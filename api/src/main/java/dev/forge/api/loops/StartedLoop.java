package dev.forge.api.loops;

/** The answer to a started loop. */
record StartedLoop(String loopId, String branch, String state, String status, String history) {

  static StartedLoop of(String loopId) {
    String self = "/api/loops/" + loopId;
    return new StartedLoop(loopId, "forge/" + loopId, "STARTING", self, self + "/history");
  }
}
