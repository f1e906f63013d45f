package dev.forge.api.gates;

/**
 * How much a loop changed since it started, for the approvers' context. The application provides
 * the implementation (the hardened git runner on the loop's repository).
 */
public interface DiffStats {

  /** Files changed, insertions and deletions between two commits. */
  record DiffStat(int filesChanged, long insertions, long deletions) {}

  /**
   * The diff stat from {@code baseSha} to {@code sha} in the repository at {@code repository}.
   *
   * @throws RuntimeException when git cannot tell (the bundle then says so instead)
   */
  DiffStat between(String repository, String baseSha, String sha);
}
