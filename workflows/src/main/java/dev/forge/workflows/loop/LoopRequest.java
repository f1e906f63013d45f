package dev.forge.workflows.loop;

import dev.forge.spec.loop.LoopConfig;

/**
 * Everything a loop starts from. The workflow id is {@link #loopId()}.
 *
 * @param loopId the loop's id, also its branch name suffix ({@code forge/<loopId>})
 * @param repository the real path of the local git repository the loop works on
 * @param prompt the goal given to the agent each iteration
 * @param startedBy the authenticated user who started the loop (may not approve its gates)
 * @param config the validated configuration
 * @param carry what the previous run handed over when the loop continued as new; {@code null} for
 *     a loop's first run
 */
public record LoopRequest(
    String loopId,
    String repository,
    String prompt,
    String startedBy,
    LoopConfig config,
    LoopCarry carry) {

  /** A loop's first run. */
  public LoopRequest(
      String loopId, String repository, String prompt, String startedBy, LoopConfig config) {
    this(loopId, repository, prompt, startedBy, config, null);
  }

  LoopRequest continuedWith(LoopCarry next) {
    return new LoopRequest(loopId, repository, prompt, startedBy, config, next);
  }
}
